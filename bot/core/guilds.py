"""Per-server settings stored in SQLite."""

from __future__ import annotations

import sqlite_utils


def run_code_enabled(db: sqlite_utils.Database, guild_id: int) -> bool:
    row = db.execute("SELECT run_code_enabled FROM guilds WHERE guild_id = ?", [guild_id]).fetchone()
    return bool(row and row[0])


def set_run_code(db: sqlite_utils.Database, guild_id: int, enabled: bool) -> None:
    db.execute(
        "INSERT INTO guilds (guild_id, run_code_enabled) VALUES (?, ?) "
        "ON CONFLICT(guild_id) DO UPDATE SET run_code_enabled = excluded.run_code_enabled",
        [guild_id, int(enabled)],
    )
