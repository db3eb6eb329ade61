"""Member preferences stored in SQLite (language, time zone)."""

from __future__ import annotations

import sqlite_utils

from bot.core.context import Lang


def get_language(db: sqlite_utils.Database, user_id: int) -> Lang | None:
    row = db.execute("SELECT language FROM members WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row and row[0] else None


def set_language(db: sqlite_utils.Database, user_id: int, language: Lang) -> None:
    db.execute(
        "INSERT INTO members (user_id, language) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET language = excluded.language",
        [user_id, language],
    )
