"""Exactly once: restarts before, during and after a post, outages within and past the grace window."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.core.daily.clock import ManualClock
from bot.core.daily.planning import plan_due
from bot.core.daily.posts import State, open_posts, post_for
from bot.core.daily.scheduler import DailyScheduler
from bot.core.tutor import Tutor
from tests.daily.conftest import Crash, FakePoster, configure, restarted

DUE = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)
DAY = DUE.date()


async def _post(tutor: Tutor, day: dt.date = DAY):
    return await tutor.db.run(post_for, 1, day)


@pytest.fixture
async def configured(tutor: Tutor, clock: ManualClock) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE)


@pytest.mark.usefixtures("configured")
async def test_a_due_post_goes_out_once_with_its_thread(
    tutor: Tutor, poster: FakePoster, scheduler: DailyScheduler
) -> None:
    report = await scheduler.tick()
    assert report.sent == report.recorded == [report.sent[0]]
    again = await scheduler.tick()
    assert not again.sent and not again.planned
    post = await _post(tutor)
    (sent,) = poster.messages(11)
    assert post.state == State.RECORDED and post.message_id == sent.id and post.thread_id == sent.id
    assert post.marker in (sent.out.reply.footer or "")


@pytest.mark.usefixtures("configured")
async def test_restart_before_the_send_posts_it_once(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    # The process planned the post and died before claiming it.
    await tutor.db.run(
        plan_due, clock.now(), scheduler.options.grace, list(tutor.library.bank.topics.values()), "en"
    )
    assert (await _post(tutor)).state == State.PLANNED
    clock.advance(minutes=5)
    await restarted(scheduler).tick()
    assert len(poster.messages(11)) == 1
    assert (await _post(tutor)).state == State.RECORDED


@pytest.mark.parametrize("crash", ["before_send", "after_send", "in_thread"])
@pytest.mark.usefixtures("configured")
async def test_a_crash_during_the_post_never_duplicates_it(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler, crash: str
) -> None:
    poster.crash = crash
    with pytest.raises(Crash):
        await scheduler.tick()
    interrupted = await _post(tutor)
    assert interrupted.state == (State.SENT if crash == "in_thread" else State.SENDING)

    clock.advance(minutes=3)
    report = await restarted(scheduler).tick()
    (sent,) = poster.messages(11)
    post = await _post(tutor)
    assert post.state == State.RECORDED and post.message_id == sent.id and post.thread_id == sent.id
    if crash == "after_send":  # it went out before the crash: found in the channel, not sent again
        assert report.found == [post.id] and not report.sent
    if crash == "before_send":  # it never went out: looked for, not found, sent now
        assert report.sent == [post.id] and poster.finds == 1


@pytest.mark.usefixtures("configured")
async def test_a_send_found_after_the_grace_window_still_counts_and_is_not_resent(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    poster.crash = "after_send"
    with pytest.raises(Crash):
        await scheduler.tick()
    clock.advance(hours=5)  # down for five hours
    await restarted(scheduler).tick()
    assert len(poster.messages(11)) == 1
    assert (await _post(tutor)).state == State.RECORDED


@pytest.mark.usefixtures("configured")
async def test_an_unsent_post_past_the_grace_window_is_missed_not_sent(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    poster.crash = "before_send"
    with pytest.raises(Crash):
        await scheduler.tick()
    clock.advance(hours=3)
    report = await restarted(scheduler).tick()
    assert report.missed and not poster.all_messages()
    assert (await _post(tutor)).state == State.MISSED


@pytest.mark.parametrize(
    ("down_until", "posted"),
    [
        (dt.timedelta(hours=1, minutes=59), True),  # back within the 2-hour grace window: posted late, once
        (dt.timedelta(hours=2, minutes=1), False),  # past it: that day is skipped
    ],
)
async def test_an_outage_over_the_post_time(
    tutor: Tutor,
    poster: FakePoster,
    clock: ManualClock,
    scheduler: DailyScheduler,
    down_until: dt.timedelta,
    posted: bool,
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE - dt.timedelta(hours=1))
    await scheduler.tick()  # up at 08:00, then down
    clock.set(DUE + down_until)
    await restarted(scheduler).tick()
    await restarted(scheduler).tick()
    assert len(poster.messages(11)) == int(posted)
    clock.set(DUE + dt.timedelta(days=1))
    await scheduler.tick()  # the next day goes out as usual
    assert len(poster.messages(11)) == int(posted) + 1


async def test_setting_the_time_after_it_passed_starts_tomorrow(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    clock.set(DUE + dt.timedelta(minutes=30))
    await configure(tutor, 1, 11, "09:00", "UTC", since=clock.now())
    await scheduler.tick()
    assert not poster.all_messages()
    clock.set(DUE + dt.timedelta(days=1))
    await scheduler.tick()
    assert len(poster.messages(11)) == 1


@pytest.mark.usefixtures("configured")
async def test_transient_errors_are_retried_on_later_ticks(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    poster.fail_sends = 2
    assert (await scheduler.tick()).retrying
    clock.advance(seconds=30)
    assert (await scheduler.tick()).retrying
    clock.advance(seconds=30)
    assert (await scheduler.tick()).recorded
    assert len(poster.messages(11)) == 1
    assert poster.finds == 2  # before each resend it looked for the earlier attempt
    assert not await tutor.db.run(open_posts)


async def test_the_loop_ticks_as_the_injected_clock_moves(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE - dt.timedelta(minutes=1))
    task = asyncio.create_task(scheduler.run())
    try:
        await scheduler.wait_ticks(1)
        assert not poster.all_messages()
        clock.advance(seconds=30)
        await scheduler.wait_ticks(2)
        assert not poster.all_messages()
        clock.advance(seconds=30)
        await scheduler.wait_ticks(3)
        assert len(poster.messages(11)) == 1
    finally:
        task.cancel()
