"""Recording answers: the one write path of the study loop (quizzes, reviews, and the daily question).

`record_answer(db, member_id, guild_id, topic_id, correct, source, at)` is the API other features
call, through the database thread: `await tutor.db.run(record_answer, member_id, guild_id, ...)`.
In one IMMEDIATE transaction it

* moves the member's FSRS card for the topic (`study_cards`; created on first answer): a wrong
  answer is `Rating.Again`, a right one `Rating.Good` (see scheduler.py);
* appends the answer to `study_answers` (the history that /export-my-data returns);
* counts it on the member's local calendar day (`study_days`, in their `/settings timezone`), which
  is what streaks and "reviews per day" read;
* adds points on the server's leaderboard, all-time and for the current UTC ISO week
  (`study_scores`): 2 points for a right answer, 1 for a wrong one.

`guild_id` None (the console, direct messages) counts on the pseudo-server 0. `at` must be
timezone-aware. /review's Again/Hard/Good/Easy go through `record_rating`, the same path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlite_utils
from fsrs import Card, Rating, Scheduler

from bot.core.study import zones
from bot.core.study.clock import as_utc, local_day, to_ts, week_key
from bot.core.study.scheduler import SCHEDULER, card_from_json, card_to_json, new_card, rating_for, review
from bot.core.study.transaction import immediate

Source = Literal["quiz", "daily", "review", "challenge"]
SOURCES: tuple[Source, ...] = ("quiz", "daily", "review", "challenge")
LOCAL_GUILD = 0  # the console and direct messages have no server: their scores live here
ALL_TIME = "all"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer or review, as it is recorded."""

    member_id: int
    guild_id: int
    topic_id: str
    rating: Rating
    source: Source
    at: dt.datetime

    @property
    def correct(self) -> bool:
        return self.rating != Rating.Again

    @property
    def points(self) -> int:
        return 2 if self.correct else 1


@dataclass(frozen=True, slots=True)
class Recorded:
    """What one answer changed: the card before and after, and the local day it counted on."""

    before: Card | None
    card: Card
    day: int


def guild_key(guild_id: int | None) -> int:
    return LOCAL_GUILD if guild_id is None else guild_id


def record_answer(
    db: sqlite_utils.Database,
    member_id: int,
    guild_id: int | None,
    topic_id: str,
    correct: bool,
    source: Source,
    at: dt.datetime,
    *,
    scheduler: Scheduler = SCHEDULER,
) -> Recorded:
    """A right or wrong answer to a question about `topic_id` (a quiz, the daily question)."""
    return record_rating(
        db, member_id, guild_id, topic_id, rating_for(correct), source, at, scheduler=scheduler
    )


def record_rating(
    db: sqlite_utils.Database,
    member_id: int,
    guild_id: int | None,
    topic_id: str,
    rating: Rating,
    source: Source,
    at: dt.datetime,
    *,
    scheduler: Scheduler = SCHEDULER,
) -> Recorded:
    """An answer with an explicit FSRS rating (a /review self-grade)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    answer = Answer(member_id, guild_key(guild_id), topic_id, Rating(rating), source, as_utc(at))
    with immediate(db):
        return _apply(db, answer, scheduler)


def _apply(db: sqlite_utils.Database, answer: Answer, scheduler: Scheduler) -> Recorded:
    day = local_day(answer.at, zones.get_zone(db, answer.member_id))
    before = read_card(db, answer.member_id, answer.topic_id)
    card = review(before if before is not None else new_card(answer.at), answer.rating, answer.at, scheduler)
    _save_card(db, answer, card)
    _append_answer(db, answer, day)
    _count_day(db, answer, day)
    for period in (ALL_TIME, week_key(answer.at)):
        _add_score(db, answer, period)
    return Recorded(before, card, day)


def read_card(db: sqlite_utils.Database, member_id: int, topic_id: str) -> Card | None:
    row = db.execute(
        "SELECT card FROM study_cards WHERE user_id = ? AND topic_id = ?", [member_id, topic_id]
    ).fetchone()
    return card_from_json(row[0]) if row else None


def _save_card(db: sqlite_utils.Database, answer: Answer, card: Card) -> None:
    db.execute(
        "INSERT INTO study_cards (user_id, topic_id, card, due_ts, reviews, lapses) VALUES (?, ?, ?, ?, 1, ?) "
        "ON CONFLICT(user_id, topic_id) DO UPDATE SET card = excluded.card, due_ts = excluded.due_ts, "
        "reviews = reviews + 1, lapses = lapses + excluded.lapses",
        [answer.member_id, answer.topic_id, card_to_json(card), to_ts(card.due), int(not answer.correct)],
    )


def _append_answer(db: sqlite_utils.Database, answer: Answer, day: int) -> None:
    db.execute(
        "INSERT INTO study_answers (user_id, guild_id, topic_id, source, rating, correct, at_ts, local_day) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            answer.member_id,
            answer.guild_id,
            answer.topic_id,
            answer.source,
            int(answer.rating),
            int(answer.correct),
            to_ts(answer.at),
            day,
        ],
    )


def _count_day(db: sqlite_utils.Database, answer: Answer, day: int) -> None:
    db.execute(
        "INSERT INTO study_days (user_id, day, answers, correct) VALUES (?, ?, 1, ?) "
        "ON CONFLICT(user_id, day) DO UPDATE SET answers = answers + 1, correct = correct + excluded.correct",
        [answer.member_id, day, int(answer.correct)],
    )


def _add_score(db: sqlite_utils.Database, answer: Answer, period: str) -> None:
    db.execute(
        "INSERT INTO study_scores (guild_id, period, user_id, points, answers, correct) VALUES (?, ?, ?, ?, 1, ?) "
        "ON CONFLICT(guild_id, period, user_id) DO UPDATE SET points = points + excluded.points, "
        "answers = answers + 1, correct = correct + excluded.correct",
        [answer.guild_id, period, answer.member_id, answer.points, int(answer.correct)],
    )
