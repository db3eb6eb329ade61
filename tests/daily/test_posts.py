"""What goes out: fresh topics within the filters, several servers at once, the reveal, refusals."""

from __future__ import annotations

import datetime as dt

from bot.core.daily.clock import ManualClock
from bot.core.daily.config import get_config
from bot.core.daily.message import LETTERS
from bot.core.daily.picker import REPEAT_AFTER_DAYS
from bot.core.daily.posts import State, post_for
from bot.core.daily.scheduler import DailyScheduler
from bot.core.tutor import Tutor
from tests.daily.conftest import FakePoster, admin, configure, member

DUE = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)


async def _topics_by_day(tutor: Tutor, guild_id: int) -> list[tuple[dt.date, str]]:
    rows = await tutor.db.run(
        lambda d: d.execute(
            "SELECT local_date, topic_id FROM daily_posts WHERE guild_id = ? ORDER BY local_date", [guild_id]
        ).fetchall()
    )
    return [(dt.date.fromisoformat(day), topic) for day, topic in rows]


async def _days(scheduler: DailyScheduler, clock: ManualClock, days: int) -> None:
    for day in range(days):
        clock.set(DUE + dt.timedelta(days=day))
        await scheduler.tick()


async def test_two_servers_due_the_same_minute_each_get_one_post(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "17:00", "Asia/Shanghai")
    await configure(tutor, 2, 22, "09:00", "UTC")  # the same instant: 09:00 UTC
    clock.set(DUE)
    report = await scheduler.tick()
    assert len(report.sent) == 2
    assert len(poster.messages(11)) == len(poster.messages(22)) == 1
    assert (await scheduler.tick()).sent == []


async def test_no_topic_comes_back_within_60_days(
    tutor: Tutor, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    await _days(scheduler, clock, REPEAT_AFTER_DAYS + 5)
    history = await _topics_by_day(tutor, 1)
    assert len(history) == REPEAT_AFTER_DAYS + 5
    for i, (day, topic) in enumerate(history):
        earlier = [t for d, t in history[:i] if (day - d).days <= REPEAT_AFTER_DAYS]
        assert topic not in earlier, (day, topic)


async def test_filters_are_kept_and_a_small_pool_cycles_through_every_topic(
    tutor: Tutor, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    pool = sorted(t.id for t in tutor.library.bank.topics.values() if t.category == "fundamentals")
    assert 2 <= len(pool) < 10
    await configure(tutor, 1, 11, "09:00", "UTC", category="fundamentals")
    await _days(scheduler, clock, 2 * len(pool))
    topics = [topic for _, topic in await _topics_by_day(tutor, 1)]
    assert sorted(topics[: len(pool)]) == pool == sorted(topics[len(pool) :])  # least recently posted first


async def test_level_filter(tutor: Tutor, clock: ManualClock, scheduler: DailyScheduler) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC", category="tensors", level=1)
    await _days(scheduler, clock, 3)
    for _, topic_id in await _topics_by_day(tutor, 1):
        topic = tutor.library.topic(topic_id)
        assert topic is not None and (topic.category, topic.level) == ("tensors", 1)


async def test_the_next_post_reveals_the_answer_and_how_the_server_did(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE)
    await scheduler.tick()
    post = await tutor.db.run(post_for, 1, DUE.date())
    topic = tutor.library.topic(post.question.topic_id)
    right = post.question.order.index(topic.quiz.mcq[post.question.mcq_index].answer)
    wrong = (right + 1) % 4
    for user, shown in ((101, right), (102, right), (103, wrong)):
        reply = await tutor.handle(f"/daily-answer {post.id} {shown}", member(user))
        assert reply.tone in ("success", "answer"), reply

    clock.set(DUE + dt.timedelta(days=1))
    await scheduler.tick()
    today = poster.messages(11)[-1].out.reply
    assert today.text.startswith("**Answer to the last question (yesterday")
    assert f": {LETTERS[right]}. " in today.text
    assert "3 answered, 67% got it right" in today.text

    late = await tutor.handle(f"/daily-answer {post.id} {right}", member(104))
    assert "closed" in late.text and late.ephemeral


async def test_one_answer_per_member_and_it_counts_in_the_study_loop(
    tutor: Tutor, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE)
    await scheduler.tick()
    post = await tutor.db.run(post_for, 1, DUE.date())
    first = await tutor.handle(f"/daily-answer {post.id} 0", member(101))
    assert first.title in ("✅ Right", "❌ Not quite") and first.ephemeral
    second = await tutor.handle(f"/daily-answer {post.id} 1", member(101))
    assert "already answered" in second.text and "A. " in second.text
    rows = await tutor.db.run(
        lambda d: d.execute("SELECT user_id, guild_id, topic_id, source FROM study_answers").fetchall()
    )
    assert rows == [(101, 1, post.question.topic_id, "daily")]
    points = await tutor.db.run(
        lambda d: d.execute(
            "SELECT SUM(answers) FROM study_scores WHERE guild_id = 1 AND user_id = 101 AND period = 'all'"
        ).fetchone()
    )
    assert points == (1,)


async def test_answers_from_another_server_or_to_unknown_posts_are_refused(
    tutor: Tutor, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE)
    await scheduler.tick()
    post = await tutor.db.run(post_for, 1, DUE.date())
    for line, who in (
        (f"/daily-answer {post.id} 0", member(101, guild_id=2)),
        ("/daily-answer 999999 0", member(101)),
        (f"/daily-answer {post.id} 7", member(101)),
        ("/daily-answer nonsense", member(101)),
    ):
        reply = await tutor.handle(line, who)
        assert reply.tone == "error", line
    assert await tutor.db.run(lambda d: d.execute("SELECT COUNT(*) FROM daily_answers").fetchone()) == (0,)


async def test_a_channel_deleted_before_the_post_turns_the_server_off_with_the_reason(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    await configure(tutor, 2, 22, "09:00", "UTC")
    clock.set(DUE - dt.timedelta(hours=1))
    await scheduler.tick()  # scheduled, nothing due yet
    poster.deleted.add(11)
    clock.set(DUE)
    report = await scheduler.tick()
    assert len(report.failed) == 1 and len(report.sent) == 1  # the other server is unaffected
    config = await tutor.db.run(get_config, 1)
    assert not config.enabled and config.disabled_reason == "channel_deleted"
    assert (await tutor.db.run(post_for, 1, DUE.date())).state == State.FAILED

    status = await tutor.handle("/daily status", admin(guild_id=1))
    state = next(f.value for f in status.fields if f.name == "State")
    assert "deleted" in state and "Unknown Channel" in state

    clock.set(DUE + dt.timedelta(days=1))
    await scheduler.tick()
    assert not poster.messages(11) and len(poster.messages(22)) == 2


async def test_missing_permission_turns_the_server_off_and_set_turns_it_back_on(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    poster.forbidden.add(11)
    clock.set(DUE)
    await scheduler.tick()
    config = await tutor.db.run(get_config, 1)
    assert not config.enabled and config.disabled_reason == "missing_permission"
    status = await tutor.handle("/daily status", admin())
    assert "may not post" in next(f.value for f in status.fields if f.name == "State")

    poster.forbidden.clear()
    reply = await tutor.handle("/daily set <#33333333> 09:00 UTC", admin())
    assert reply.tone == "success", reply.text
    clock.set(DUE + dt.timedelta(days=1))
    await scheduler.tick()
    assert len(poster.messages(33333333)) == 1


async def test_preview_shows_the_question_that_then_goes_out(
    tutor: Tutor, poster: FakePoster, clock: ManualClock, scheduler: DailyScheduler
) -> None:
    await configure(tutor, 1, 11, "09:00", "UTC")
    clock.set(DUE - dt.timedelta(days=1))
    await scheduler.tick()
    clock.set(DUE - dt.timedelta(hours=3))
    preview = await tutor.handle("/daily preview", member(5))
    assert DUE.date().isoformat() in (preview.title or "") and preview.ephemeral
    clock.set(DUE)
    await scheduler.tick()
    posted = poster.messages(11)[-1].out.reply
    assert posted.meta["topic"] == preview.meta["topic"]
    assert preview.text in posted.text  # the same question with the options in the same order
