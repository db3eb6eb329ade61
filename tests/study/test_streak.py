"""Streaks count the member's local calendar days: midnight and DST are where naive code breaks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.core.study.record import record_answer
from bot.core.study.stats import load_progress
from bot.core.study.streak import streak_of
from bot.core.study.zones import set_zone
from bot.storage import Database

NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(zone: ZoneInfo, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def test_streak_arithmetic() -> None:
    assert streak_of([], 100).current == 0
    assert streak_of([100], 100).current == 1
    assert streak_of([99], 100).current == 1  # yesterday still counts until midnight
    assert streak_of([98], 100).current == 0
    alive = streak_of([95, 96, 97, 98, 99], 100)
    assert (alive.current, alive.longest, alive.answered_today) == (5, 5, False)
    broken = streak_of([90, 91, 92, 93, 97, 98, 99, 100, 100], 100)
    assert (broken.current, broken.longest, broken.answered_today) == (4, 4, True)
    assert streak_of([1, 2, 3, 4, 5, 6, 50], 51).longest == 6


async def _streak_after(
    db: Database, zone_name: str | None, answers: list[dt.datetime], now: dt.datetime
) -> int:
    def run(d: sqlite_utils.Database) -> int:
        if zone_name:
            set_zone(d, 42, zone_name)
        for at in answers:
            record_answer(d, 42, None, "autograd-basics", True, "quiz", at)
        return load_progress(d, 42, now).streak.current

    return await db.run(run)


async def test_one_minute_either_side_of_local_midnight_is_two_days(db: Database) -> None:
    answers = [local(SHANGHAI, 2025, 1, 1, 23, 59), local(SHANGHAI, 2025, 1, 2, 0, 1)]
    assert await _streak_after(db, "Asia/Shanghai", answers, local(SHANGHAI, 2025, 1, 2, 12, 0)) == 2


async def test_the_same_utc_day_can_be_two_local_days(db: Database) -> None:
    # 15:30 and 16:30 UTC on one UTC day are 23:30 and 00:30 in Shanghai: two days there, one in UTC.
    answers = [dt.datetime(2025, 1, 1, 15, 30, tzinfo=dt.UTC), dt.datetime(2025, 1, 1, 16, 30, tzinfo=dt.UTC)]
    now = dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)
    assert await _streak_after(db, "Asia/Shanghai", answers, now) == 2


async def test_utc_is_the_default_zone(db: Database) -> None:
    answers = [dt.datetime(2025, 1, 1, 15, 30, tzinfo=dt.UTC), dt.datetime(2025, 1, 1, 16, 30, tzinfo=dt.UTC)]
    now = dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)
    assert await _streak_after(db, None, answers, now) == 1


async def test_spring_forward_day_of_23_hours(db: Database) -> None:
    # 2024-03-10 in New York has 23 hours. 23:30 on the 9th and 23:30 on the 10th are 23 h apart,
    # and 00:15 on the 11th is 45 minutes later: three calendar days, however few hours.
    answers = [
        local(NEW_YORK, 2024, 3, 9, 23, 30),
        local(NEW_YORK, 2024, 3, 10, 23, 30),
        local(NEW_YORK, 2024, 3, 11, 0, 15),
    ]
    assert await _streak_after(db, "America/New_York", answers, local(NEW_YORK, 2024, 3, 11, 9, 0)) == 3


async def test_fall_back_day_of_25_hours(db: Database) -> None:
    # 2024-11-03 has 25 hours: 00:05 and 23:55 that day are 24 h 50 min apart but one day,
    # and "yesterday" is still alive at 23:59 on the 4th, 48 h after the first answer.
    answers = [
        local(NEW_YORK, 2024, 11, 2, 22, 0),
        local(NEW_YORK, 2024, 11, 3, 0, 5),
        local(NEW_YORK, 2024, 11, 3, 23, 55),
    ]
    assert await _streak_after(db, "America/New_York", answers, local(NEW_YORK, 2024, 11, 4, 23, 59)) == 2


async def test_a_missed_local_day_breaks_the_streak(db: Database) -> None:
    answers = [local(SHANGHAI, 2025, 1, 1, 9, 0), local(SHANGHAI, 2025, 1, 2, 9, 0)]
    assert await _streak_after(db, "Asia/Shanghai", answers, local(SHANGHAI, 2025, 1, 4, 0, 1)) == 0
