"""/export-my-data and /forget-me: every row about a member, found by its `user_id` column.

Convention (see migration 2): any table that stores something about a member names them in a
`user_id` (or `member_id`) column. Export and deletion discover those tables from the schema, so a
table added by a later feature is covered without touching this file.

Deletion needs a confirmation: /forget-me stores a random single-use token (10 minutes) and the
"Yes, delete everything" button carries it; a typed `/forget-me confirm` without the right token
deletes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlite_utils

from bot.core.study.clock import to_ts
from bot.core.study.transaction import immediate

MEMBER_COLUMNS = ("user_id", "member_id")
TOKEN_TTL = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class MemberTable:
    name: str
    column: str


def member_tables(db: sqlite_utils.Database) -> list[MemberTable]:
    found = []
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall():
        columns = {row[1] for row in db.execute(f'PRAGMA table_info("{name}")').fetchall()}
        column = next((c for c in MEMBER_COLUMNS if c in columns), None)
        if column is not None:
            found.append(MemberTable(name, column))
    return found


def export_member(db: sqlite_utils.Database, user_id: int) -> dict[str, list[dict]]:
    """Table name -> that member's rows, as column -> value."""
    exported: dict[str, list[dict]] = {}
    for table in member_tables(db):
        cursor = db.execute(f'SELECT * FROM "{table.name}" WHERE "{table.column}" = ?', [user_id])
        names = [d[0] for d in cursor.description]
        exported[table.name] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return exported


def row_counts(db: sqlite_utils.Database, user_id: int) -> dict[str, int]:
    return {
        t.name: db.execute(f'SELECT COUNT(*) FROM "{t.name}" WHERE "{t.column}" = ?', [user_id]).fetchone()[0]
        for t in member_tables(db)
    }


def issue_token(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> str:
    token = secrets.token_urlsafe(12)
    db.execute(
        "INSERT INTO privacy_tokens (user_id, token, created_ts) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET token = excluded.token, created_ts = excluded.created_ts",
        [user_id, token, to_ts(at)],
    )
    return token


def cancel_token(db: sqlite_utils.Database, user_id: int) -> None:
    db.execute("DELETE FROM privacy_tokens WHERE user_id = ?", [user_id])


def forget_member(
    db: sqlite_utils.Database, user_id: int, token: str, at: dt.datetime
) -> dict[str, int] | None:
    """Delete every row about the member if `token` is their live one; None (nothing deleted) otherwise."""
    with immediate(db):
        row = db.execute(
            "SELECT token, created_ts FROM privacy_tokens WHERE user_id = ?", [user_id]
        ).fetchone()
        if (
            row is None
            or not secrets.compare_digest(row[0], token)
            or to_ts(at) - row[1] > TOKEN_TTL.total_seconds()
        ):
            return None
        deleted = {}
        for table in member_tables(db):
            cursor = db.execute(f'DELETE FROM "{table.name}" WHERE "{table.column}" = ?', [user_id])
            deleted[table.name] = cursor.rowcount
        return deleted
