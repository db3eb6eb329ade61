"""The numbers behind /progress, read in one database call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from bot.core.study import zones
from bot.core.study.cards import StoredCard, all_cards, due_count, next_due
from bot.core.study.clock import local_day
from bot.core.study.streak import Streak, streak_of

RECENT_DAYS = 14
RECENT_ACCURACY_DAYS = 30


@dataclass(frozen=True, slots=True)
class DayCount:
    day: int  # local-day ordinal
    answers: int
    correct: int


@dataclass(frozen=True, slots=True)
class Progress:
    user_id: int
    zone: str
    today: int
    cards: list[StoredCard]
    due: int
    next_due: dt.datetime | None
    streak: Streak
    answers: int
    correct: int
    recent: list[DayCount]  # the last RECENT_DAYS local days, oldest first, zeros included
    by_topic: dict[str, tuple[int, int]]  # topic -> (answers, correct) in the last RECENT_ACCURACY_DAYS

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


def load_progress(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> Progress:
    zone_name = zones.get_zone_name(db, user_id)
    today = local_day(at, zones.zone(zone_name))
    days = _days(db, user_id)
    answers = sum(d.answers for d in days)
    correct = sum(d.correct for d in days)
    return Progress(
        user_id=user_id,
        zone=zone_name,
        today=today,
        cards=all_cards(db, user_id),
        due=due_count(db, user_id, at),
        next_due=next_due(db, user_id, at),
        streak=streak_of([d.day for d in days], today),
        answers=answers,
        correct=correct,
        recent=_recent(days, today),
        by_topic=_by_topic(db, user_id, at),
    )


def _by_topic(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> dict[str, tuple[int, int]]:
    since = int(at.timestamp()) - RECENT_ACCURACY_DAYS * 86400
    rows = db.execute(
        "SELECT topic_id, COUNT(*), SUM(correct) FROM study_answers WHERE user_id = ? AND at_ts >= ? "
        "GROUP BY topic_id",
        [user_id, since],
    )
    return {topic_id: (answers, correct) for topic_id, answers, correct in rows.fetchall()}


def _days(db: sqlite_utils.Database, user_id: int) -> list[DayCount]:
    rows = db.execute(
        "SELECT day, answers, correct FROM study_days WHERE user_id = ? ORDER BY day", [user_id]
    )
    return [DayCount(*row) for row in rows.fetchall()]


def _recent(days: list[DayCount], today: int) -> list[DayCount]:
    by_day = {d.day: d for d in days}
    first = today - RECENT_DAYS + 1
    return [by_day.get(day, DayCount(day, 0, 0)) for day in range(first, today + 1)]
