"""Due times across daylight saving: one post per local date, at the configured wall time when it exists."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.core.daily.clock import ManualClock
from bot.core.daily.posts import State
from bot.core.daily.schedule import due_at, latest_slot, next_slot, parse_time
from bot.core.daily.scheduler import DailyScheduler
from bot.core.tutor import Tutor
from tests.daily.conftest import FakePoster, configure

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "at", "zone", "expected"),
    [
        # 2025-03-09: New York springs forward at 02:00 EST -> 03:00 EDT; 02:30 does not exist that day.
        (dt.date(2025, 3, 8), "02:30", "America/New_York", utc(2025, 3, 8, 7, 30)),  # EST
        (dt.date(2025, 3, 9), "02:30", "America/New_York", utc(2025, 3, 9, 7, 30)),  # in the gap: 03:30 EDT
        (dt.date(2025, 3, 10), "02:30", "America/New_York", utc(2025, 3, 10, 6, 30)),  # EDT
        (dt.date(2025, 3, 9), "09:00", "America/New_York", utc(2025, 3, 9, 13, 0)),  # after the change: EDT
        # 2025-11-02: New York falls back at 02:00 EDT -> 01:00 EST; 01:30 happens twice: the first one.
        (dt.date(2025, 11, 2), "01:30", "America/New_York", utc(2025, 11, 2, 5, 30)),
        (dt.date(2025, 11, 3), "01:30", "America/New_York", utc(2025, 11, 3, 6, 30)),
        # London springs forward at 01:00 GMT on 2025-03-30: 01:30 GMT is 02:30 BST.
        (dt.date(2025, 3, 30), "01:30", "Europe/London", utc(2025, 3, 30, 1, 30)),
        # Shanghai has no DST.
        (dt.date(2025, 3, 9), "09:00", "Asia/Shanghai", utc(2025, 3, 9, 1, 0)),
    ],
)
def test_due_instant(day: dt.date, at: str, zone: str, expected: dt.datetime) -> None:
    time = parse_time(at)
    assert time is not None
    assert due_at(day, time, ZoneInfo(zone)) == expected


def test_gap_time_reads_as_the_same_distance_past_the_change() -> None:
    due = due_at(dt.date(2025, 3, 9), dt.time(2, 30), NEW_YORK)
    assert due.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:30 EDT"


@pytest.mark.parametrize("text", ["9:00", "09:00", "23:59", "0:00", "09：30"])
def test_times_parse(text: str) -> None:
    assert parse_time(text) is not None


@pytest.mark.parametrize("text", ["24:00", "9", "09:60", "nine", "9:5", "-1:00", ""])
def test_bad_times_do_not_parse(text: str) -> None:
    assert parse_time(text) is None


def test_latest_and_next_slot_around_the_gap() -> None:
    before = utc(2025, 3, 9, 7, 29)
    assert latest_slot(before, dt.time(2, 30), NEW_YORK).day == dt.date(2025, 3, 8)
    assert next_slot(before, dt.time(2, 30), NEW_YORK).due == utc(2025, 3, 9, 7, 30)
    assert latest_slot(utc(2025, 3, 9, 7, 30), dt.time(2, 30), NEW_YORK).day == dt.date(2025, 3, 9)


def test_next_slot_in_the_fold_is_the_first_occurrence_then_tomorrow() -> None:
    first = next_slot(utc(2025, 11, 2, 5, 0), dt.time(1, 30), NEW_YORK)
    assert first.due == utc(2025, 11, 2, 5, 30)
    # Between the two 01:30s the next slot is already tomorrow's: the second 01:30 is not a new day.
    assert next_slot(utc(2025, 11, 2, 6, 0), dt.time(1, 30), NEW_YORK).day == dt.date(2025, 11, 3)


async def _run_days(scheduler: DailyScheduler, clock: ManualClock, until: dt.datetime, step_min: int) -> None:
    while clock.now() < until:
        clock.advance(minutes=step_min)
        await scheduler.tick()


@pytest.mark.parametrize(
    ("start", "at", "expected"),
    [
        # spring forward: the 02:30 that does not exist on 03-09 posts at 03:30 EDT, once
        (
            utc(2025, 3, 7, 12, 0),
            "02:30",
            [utc(2025, 3, 8, 7, 30), utc(2025, 3, 9, 7, 30), utc(2025, 3, 10, 6, 30)],
        ),
        # fall back: the 01:30 that happens twice on 11-02 posts once, at the first
        (
            utc(2025, 11, 1, 0, 0),
            "01:30",
            [utc(2025, 11, 1, 5, 30), utc(2025, 11, 2, 5, 30), utc(2025, 11, 3, 6, 30)],
        ),
    ],
)
async def test_the_scheduler_posts_once_per_local_day_across_dst(
    tutor: Tutor,
    poster: FakePoster,
    clock: ManualClock,
    scheduler: DailyScheduler,
    start: dt.datetime,
    at: str,
    expected: list[dt.datetime],
) -> None:
    clock.set(start)
    await configure(tutor, 1, 11, at, "America/New_York", since=start)
    await _run_days(scheduler, clock, expected[-1] + dt.timedelta(hours=12), step_min=10)

    rows = await tutor.db.run(
        lambda d: d.execute(
            "SELECT local_date, due_ts, sent_ts, state FROM daily_posts ORDER BY local_date"
        ).fetchall()
    )
    assert [dt.datetime.fromtimestamp(due, UTC) for _, due, _, _ in rows] == expected
    assert all(state == State.RECORDED for *_, state in rows)
    for _, due, sent, _ in rows:
        assert 0 <= sent - due < 10 * 60  # posted on the first tick at or after its time
    assert len(poster.messages(11)) == len(expected)
