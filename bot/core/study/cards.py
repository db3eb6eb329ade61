"""Reading a member's cards: what is due, when the next one is, and every card for progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils
from fsrs import Card

from bot.core.study.clock import from_ts, to_ts
from bot.core.study.scheduler import card_from_json


@dataclass(frozen=True, slots=True)
class StoredCard:
    topic_id: str
    card: Card
    reviews: int
    lapses: int

    @property
    def due(self) -> dt.datetime:
        return self.card.due


def _stored(row: tuple) -> StoredCard:
    return StoredCard(topic_id=row[0], card=card_from_json(row[1]), reviews=row[2], lapses=row[3])


def get_card(db: sqlite_utils.Database, user_id: int, topic_id: str) -> StoredCard | None:
    row = db.execute(
        "SELECT topic_id, card, reviews, lapses FROM study_cards WHERE user_id = ? AND topic_id = ?",
        [user_id, topic_id],
    ).fetchone()
    return _stored(row) if row else None


def all_cards(db: sqlite_utils.Database, user_id: int) -> list[StoredCard]:
    rows = db.execute("SELECT topic_id, card, reviews, lapses FROM study_cards WHERE user_id = ?", [user_id])
    return [_stored(row) for row in rows.fetchall()]


def due_cards(db: sqlite_utils.Database, user_id: int, at: dt.datetime, limit: int = 25) -> list[StoredCard]:
    """The most overdue first."""
    rows = db.execute(
        "SELECT topic_id, card, reviews, lapses FROM study_cards WHERE user_id = ? AND due_ts <= ? "
        "ORDER BY due_ts LIMIT ?",
        [user_id, to_ts(at), limit],
    )
    return [_stored(row) for row in rows.fetchall()]


def due_count(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM study_cards WHERE user_id = ? AND due_ts <= ?", [user_id, to_ts(at)]
    ).fetchone()[0]


def next_due(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> dt.datetime | None:
    row = db.execute(
        "SELECT MIN(due_ts) FROM study_cards WHERE user_id = ? AND due_ts > ?", [user_id, to_ts(at)]
    ).fetchone()
    return from_ts(row[0]) if row and row[0] is not None else None
