"""FSRS scheduling: what we store after a scripted history equals what the fsrs library computes."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlite_utils
from fsrs import Card, Rating, ReviewLog, Scheduler

from bot.core.study.cards import get_card
from bot.core.study.record import record_answer, record_rating
from bot.core.study.scheduler import MAXIMUM_INTERVAL_DAYS, make_scheduler
from bot.storage import Database
from tests.study.conftest import T0

USER, TOPIC = 7, "autograd-basics"

# (minutes after T0, source, rating): quiz and daily answers say right/wrong, reviews self-grade.
HISTORY: list[tuple[int, str, Rating]] = [
    (0, "quiz", Rating.Again),  # wrong on first sight
    (2, "quiz", Rating.Good),  # right two minutes later
    (15, "review", Rating.Good),  # graduates
    (3 * 1440, "review", Rating.Hard),
    (9 * 1440, "daily", Rating.Good),
    (30 * 1440, "quiz", Rating.Again),  # a lapse
    (30 * 1440 + 12, "review", Rating.Good),
    (33 * 1440, "review", Rating.Easy),
    (80 * 1440, "review", Rating.Good),
    (81 * 1440, "daily", Rating.Again),  # early and wrong
]


def _replay(database: sqlite_utils.Database, scheduler: Scheduler) -> list[Card]:
    stored = []
    for minutes, source, rating in HISTORY:
        at = T0 + dt.timedelta(minutes=minutes)
        if source == "review":
            record_rating(database, USER, None, TOPIC, rating, "review", at, scheduler=scheduler)
        else:
            record_answer(
                database, USER, None, TOPIC, rating != Rating.Again, source, at, scheduler=scheduler
            )
        card = get_card(database, USER, TOPIC)
        assert card is not None
        stored.append(card.card)
    return stored


def _reference(scheduler: Scheduler) -> list[Card]:
    card = Card(card_id=int(T0.timestamp() * 1000), due=T0)
    cards = []
    for minutes, _source, rating in HISTORY:
        card, _ = scheduler.review_card(card, rating, review_datetime=T0 + dt.timedelta(minutes=minutes))
        cards.append(card)
    return cards


async def test_stored_cards_match_the_library_step_by_step(db: Database) -> None:
    reference = Scheduler(maximum_interval=MAXIMUM_INTERVAL_DAYS, enable_fuzzing=False)
    stored = await db.run(_replay, make_scheduler(fuzz=False))
    assert [c.to_dict() for c in stored] == [c.to_dict() for c in _reference(reference)]
    assert stored[-1].state.name == "Relearning"


async def test_the_answer_log_reschedules_to_the_stored_card(db: Database) -> None:
    scheduler = make_scheduler(fuzz=False)
    stored = await db.run(_replay, scheduler)

    def logs(d: sqlite_utils.Database) -> list[ReviewLog]:
        rows = d.execute(
            "SELECT rating, at_ts FROM study_answers WHERE user_id = ? ORDER BY id", [USER]
        ).fetchall()
        return [
            ReviewLog(stored[0].card_id, Rating(r), dt.datetime.fromtimestamp(ts, dt.UTC), None)
            for r, ts in rows
        ]

    history = await db.run(logs)
    assert [int(log.rating) for log in history] == [int(r) for _, _, r in HISTORY]
    rescheduled = scheduler.reschedule_card(Card(card_id=stored[0].card_id, due=T0), history)
    assert rescheduled.to_dict() == stored[-1].to_dict()


async def test_fuzzing_moves_only_due_dates(db: Database) -> None:
    """The bot's scheduler fuzzes intervals; memory state (stability, difficulty) must still match."""
    stored = await db.run(_replay, make_scheduler())
    reference = _reference(Scheduler(maximum_interval=MAXIMUM_INTERVAL_DAYS, enable_fuzzing=False))
    for mine, theirs in zip(stored, reference, strict=True):
        assert (mine.state, mine.step, mine.stability, mine.difficulty) == (
            theirs.state,
            theirs.step,
            theirs.stability,
            theirs.difficulty,
        )
        interval = theirs.due - theirs.last_review
        # fsrs fuzzes by at most 1 day + 15% of the interval, then rounds to whole days (and keeps >= 2 days)
        assert abs(mine.due - theirs.due) <= dt.timedelta(days=2) + 0.15 * interval


async def test_a_wrong_answer_brings_the_topic_back_sooner(db: Database) -> None:
    scheduler = make_scheduler(fuzz=False)

    def history(d: sqlite_utils.Database, user: int, last_correct: bool) -> Card:
        for days, correct in ((0, True), (0.01, True), (3, True)):
            record_answer(
                d, user, 1, TOPIC, correct, "quiz", T0 + dt.timedelta(days=days), scheduler=scheduler
            )
        at = T0 + dt.timedelta(days=12)
        return record_answer(d, user, 1, TOPIC, last_correct, "daily", at, scheduler=scheduler).card

    right = await db.run(history, 1, True)
    wrong = await db.run(history, 2, False)
    at = T0 + dt.timedelta(days=12)
    assert wrong.due - at <= dt.timedelta(minutes=10)
    assert right.due - at >= dt.timedelta(days=5)
    ratings = await db.run(
        lambda d: d.execute(
            "SELECT user_id, rating FROM study_answers WHERE source = 'daily' ORDER BY user_id"
        ).fetchall()
    )
    assert ratings == [(1, int(Rating.Good)), (2, int(Rating.Again))]


async def test_a_naive_time_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="naive"):
        await db.run(record_answer, USER, None, TOPIC, True, "quiz", dt.datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="source"):
        await db.run(record_answer, USER, None, TOPIC, True, "exam", T0)  # type: ignore[arg-type]
    count = await db.run(lambda d: d.execute("SELECT COUNT(*) FROM study_answers").fetchone()[0])
    assert count == 0
