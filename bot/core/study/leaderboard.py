"""Per-server leaderboards from `study_scores`: this UTC ISO week, or all time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.core.study.clock import week_key
from bot.core.study.record import ALL_TIME

Period = Literal["week", "all"]
TOP = 10


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    points: int
    answers: int
    correct: int


@dataclass(frozen=True, slots=True)
class Board:
    period: Period
    top: list[Standing]
    mine: Standing | None  # the asking member, wherever they rank
    members: int


def period_key(period: Period, at: dt.datetime) -> str:
    return ALL_TIME if period == "all" else week_key(at)


def load_board(
    db: sqlite_utils.Database, guild_id: int, period: Period, user_id: int, at: dt.datetime, limit: int = TOP
) -> Board:
    key = period_key(period, at)
    rows = db.execute(
        "SELECT user_id, points, answers, correct FROM study_scores WHERE guild_id = ? AND period = ? "
        "ORDER BY points DESC, answers DESC, user_id LIMIT ?",
        [guild_id, key, limit],
    ).fetchall()
    top = [Standing(_rank(db, guild_id, key, row[1], row[2]), *row) for row in rows]
    members = db.execute(
        "SELECT COUNT(*) FROM study_scores WHERE guild_id = ? AND period = ?", [guild_id, key]
    ).fetchone()[0]
    return Board(period, top, _mine(db, guild_id, key, user_id), members)


def _rank(db: sqlite_utils.Database, guild_id: int, key: str, points: int, answers: int) -> int:
    """Competition ranking: members with the same points and answers share a rank."""
    ahead = db.execute(
        "SELECT COUNT(*) FROM study_scores WHERE guild_id = ? AND period = ? "
        "AND (points > ? OR (points = ? AND answers > ?))",
        [guild_id, key, points, points, answers],
    ).fetchone()[0]
    return ahead + 1


def _mine(db: sqlite_utils.Database, guild_id: int, key: str, user_id: int) -> Standing | None:
    row = db.execute(
        "SELECT points, answers, correct FROM study_scores WHERE guild_id = ? AND period = ? AND user_id = ?",
        [guild_id, key, user_id],
    ).fetchone()
    if row is None:
        return None
    return Standing(_rank(db, guild_id, key, row[0], row[1]), user_id, *row)
