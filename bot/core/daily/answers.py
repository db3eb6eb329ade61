"""Answers to daily posts (`daily_answers`): one per member per post, counted in the study loop.

Each answer goes through the study loop's `record_answer` (source "daily") in the same transaction
that inserts it, so it moves the member's FSRS card, streak and leaderboard exactly once. A post takes
answers until the next post reveals it (posts.py closes it then).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.core.daily.posts import SHOWN_STATES, Post, get_post
from bot.core.study.clock import to_ts
from bot.core.study.record import guild_key, record_answer
from bot.core.study.transaction import immediate

Outcome = Literal["counted", "already", "closed", "unknown"]


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: Outcome
    post: Post | None = None
    picked: int | None = None  # the option (index in the topic file) this member has on record


def answer(
    db: sqlite_utils.Database,
    post_id: int,
    member_id: int,
    guild_id: int | None,
    picked: int,
    correct: bool,
    at: dt.datetime,
) -> Answered:
    """Record `picked` for the member unless they already answered or the post is closed."""
    with immediate(db):
        post = get_post(db, post_id)
        if post is None or post.state not in SHOWN_STATES or post.guild_id != guild_key(guild_id):
            return Answered("unknown")
        earlier = db.execute(
            "SELECT picked FROM daily_answers WHERE post_id = ? AND user_id = ?", [post_id, member_id]
        ).fetchone()
        if earlier is not None:
            return Answered("already", post, earlier[0])
        if post.closed_at is not None:
            return Answered("closed", post)
        db.execute(
            "INSERT INTO daily_answers (post_id, user_id, picked, correct, at_ts) VALUES (?, ?, ?, ?, ?)",
            [post_id, member_id, picked, int(correct), to_ts(at)],
        )
        record_answer(db, member_id, guild_id, post.question.topic_id, correct, "daily", at)
        return Answered("counted", post, picked)
