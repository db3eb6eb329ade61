"""Replies shown with buttons or menus, kept in the database so their components outlive the process.

A transport that renders a Reply with components stores it once (`remember`) under a short random
key and puts only that key and an index in each component's id (Discord allows 100 characters). A
click, even after a restart and with no time limit, finds the reply again (`recall`): the choice's
action, the pages to turn, and the member it was shown to (who alone may press an `owner_only`
choice). Rows are named by `user_id`, so /forget-me removes them; rows older than KEEP are pruned.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

import sqlite_utils

from bot.core.replies import Choice, Field, Reply
from bot.core.study.clock import to_ts

KEEP = dt.timedelta(days=30)
KEY_BYTES = 9  # 12 URL-safe characters


@dataclass(frozen=True, slots=True)
class Shown:
    user_id: int
    reply: Reply


def encode(reply: Reply) -> str:
    """The reply minus attachments and live updates (a component never needs them)."""
    data = {
        "title": reply.title,
        "text": reply.text,
        "fields": [[f.name, f.value, f.inline] for f in reply.fields],
        "pages": list(reply.pages),
        "choices": [_choice(c) for c in reply.choices],
        "select": [_choice(c) for c in reply.select],
        "select_placeholder": reply.select_placeholder,
        "footer": reply.footer,
        "tone": reply.tone,
        "ephemeral": reply.ephemeral,
        "meta": reply.meta,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> Reply:
    data = json.loads(text)
    return Reply(
        title=data["title"],
        text=data["text"],
        fields=tuple(Field(n, v, i) for n, v, i in data["fields"]),
        pages=tuple(data["pages"]),
        choices=tuple(Choice(**c) for c in data["choices"]),
        select=tuple(Choice(**c) for c in data["select"]),
        select_placeholder=data["select_placeholder"],
        footer=data["footer"],
        tone=data["tone"],
        ephemeral=data["ephemeral"],
        meta=data["meta"],
    )


def _choice(choice: Choice) -> dict[str, object]:
    return {
        "label": choice.label,
        "action": choice.action,
        "style": choice.style,
        "description": choice.description,
        "owner_only": choice.owner_only,
        "prompt": choice.prompt,
    }


def remember(db: sqlite_utils.Database, user_id: int, reply: Reply, at: dt.datetime) -> str:
    key = secrets.token_urlsafe(KEY_BYTES)
    now = to_ts(at)
    db.execute("DELETE FROM shown_replies WHERE created_ts < ?", [now - int(KEEP.total_seconds())])
    db.execute(
        "INSERT INTO shown_replies (key, user_id, reply, created_ts) VALUES (?, ?, ?, ?)",
        [key, user_id, encode(reply), now],
    )
    return key


def recall(db: sqlite_utils.Database, key: str) -> Shown | None:
    row = db.execute("SELECT user_id, reply FROM shown_replies WHERE key = ?", [key]).fetchone()
    return Shown(row[0], decode(row[1])) if row is not None else None
