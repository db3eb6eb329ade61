"""Questions asked and not yet answered (`study_pending`): an answer counts once, for the member asked.

The question itself (topic, question, option order) travels in the answer buttons' action; the row
only proves the member was asked it and has not answered yet, so a double click or someone else's
click on a public message shows the answer without counting it again. Rows older than a day expire.
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlite_utils

from bot.core.study.clock import to_ts
from bot.core.study.transaction import immediate

EXPIRES = dt.timedelta(days=1)


def issue(db: sqlite_utils.Database, user_id: int, topic_id: str, mcq_index: int, at: dt.datetime) -> str:
    token = secrets.token_hex(4)
    with immediate(db):
        db.execute(
            "DELETE FROM study_pending WHERE user_id = ? AND created_ts < ?", [user_id, to_ts(at - EXPIRES)]
        )
        db.execute(
            "INSERT INTO study_pending (token, user_id, topic_id, mcq_index, created_ts) VALUES (?, ?, ?, ?, ?)",
            [token, user_id, topic_id, mcq_index, to_ts(at)],
        )
    return token


def claim(
    db: sqlite_utils.Database, token: str, user_id: int, topic_id: str, mcq_index: int, at: dt.datetime
) -> bool:
    """True once: when this member was asked exactly this question, within a day, and has not answered."""
    cursor = db.execute(
        "DELETE FROM study_pending WHERE token = ? AND user_id = ? AND topic_id = ? AND mcq_index = ? "
        "AND created_ts >= ?",
        [token, user_id, topic_id, mcq_index, to_ts(at - EXPIRES)],
    )
    return cursor.rowcount == 1
