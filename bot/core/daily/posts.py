"""The daily-post outbox (`daily_posts`): one row per (server, local date), the exactly-once key.

States, each change committed before the next step starts:

    planned ──claim──▶ sending ──Discord answered──▶ sent(message_id) ──thread opened──▶ recorded
       │                  │
       └── past grace ────┴──▶ missed          sending ──channel gone / no permission──▶ failed

* `planned`: the question is chosen (so a retry posts the very same one); nothing went to Discord yet.
* `sending`: committed *before* the message is handed to the transport, together with the transport's
  `probe` (a point in the channel's history just before the send). A row found in `sending` that this
  process is not working on means a crash, an outage or an error between the send and its recording:
  the scheduler first looks for the message after the probe (its footer carries `marker`), and only
  when it is not there sends again, within the grace window. So a message is never posted twice.
* `sent`: Discord gave the message id; the discussion thread is next (idempotent: a thread started
  from a message has the message's id).
* `recorded`: done. `missed`: its time plus the grace window passed before it could go out.
  `failed`: the transport refused for good (the server's config is turned off with the reason).

Claiming also closes the server's previous post: its answers stop counting and the share that got it
right is frozen on it, which is what the new post reveals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

import sqlite_utils

from bot.core.context import Lang
from bot.core.daily.picker import DailyQuestion
from bot.core.daily.schedule import Slot
from bot.core.study.clock import from_ts, to_ts
from bot.core.study.transaction import immediate


class State(StrEnum):
    PLANNED = "planned"
    SENDING = "sending"
    SENT = "sent"
    RECORDED = "recorded"
    MISSED = "missed"
    FAILED = "failed"


OPEN_STATES = (State.PLANNED, State.SENDING, State.SENT)
SHOWN_STATES = (State.SENDING, State.SENT, State.RECORDED)  # may be in the channel: their topics count as had


@dataclass(frozen=True, slots=True)
class Post:
    id: int
    guild_id: int
    day: dt.date
    channel_id: int
    question: DailyQuestion
    lang: Lang
    due: dt.datetime
    state: State
    attempts: int = 0
    probe: str | None = None
    message_id: int | None = None
    thread_id: int | None = None
    reveals_id: int | None = None
    closed_at: dt.datetime | None = None
    reveal_answers: int | None = None
    reveal_correct: int | None = None
    error: str | None = None

    @property
    def marker(self) -> str:
        """Unique to this post and shown in its footer: how a lost send is found in the channel."""
        return f"#{self.id} · {self.day.isoformat()}"

    @property
    def nonce(self) -> str:
        """The same on every attempt (at most 25 characters): Discord drops a repeat within minutes."""
        return f"backprop-daily-{self.id}"


_COLUMNS = (
    "id, guild_id, local_date, channel_id, topic_id, mcq_index, option_order, lang, due_ts, state, attempts, "
    "probe, message_id, thread_id, reveals_id, closed_ts, reveal_answers, reveal_correct, error"
)


def _from_row(row: tuple) -> Post:
    (
        post_id,
        guild_id,
        day,
        channel_id,
        topic_id,
        mcq_index,
        order,
        lang,
        due_ts,
        state,
        attempts,
        probe,
        message_id,
        thread_id,
        reveals_id,
        closed_ts,
        reveal_answers,
        reveal_correct,
        error,
    ) = row
    question = DailyQuestion(topic_id, mcq_index, tuple(int(c) for c in order))
    return Post(
        post_id,
        guild_id,
        dt.date.fromisoformat(day),
        channel_id,
        question,
        lang,
        from_ts(due_ts),
        State(state),
        attempts,
        probe,
        message_id,
        thread_id,
        reveals_id,
        from_ts(closed_ts) if closed_ts is not None else None,
        reveal_answers,
        reveal_correct,
        error,
    )


def get_post(db: sqlite_utils.Database, post_id: int) -> Post | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM daily_posts WHERE id = ?", [post_id]).fetchone()
    return _from_row(row) if row else None


def post_for(db: sqlite_utils.Database, guild_id: int, day: dt.date) -> Post | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM daily_posts WHERE guild_id = ? AND local_date = ?",
        [guild_id, day.isoformat()],
    ).fetchone()
    return _from_row(row) if row else None


def open_posts(db: sqlite_utils.Database) -> list[Post]:
    """Posts with work left, oldest first: a server's older post always goes before its newer one."""
    placeholders = ", ".join("?" for _ in OPEN_STATES)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM daily_posts WHERE state IN ({placeholders}) ORDER BY guild_id, local_date",
        list(OPEN_STATES),
    ).fetchall()
    return [_from_row(row) for row in rows]


def latest_post(db: sqlite_utils.Database, guild_id: int) -> Post | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM daily_posts WHERE guild_id = ? ORDER BY local_date DESC LIMIT 1", [guild_id]
    ).fetchone()
    return _from_row(row) if row else None


def last_shown(db: sqlite_utils.Database, guild_id: int, before: dt.date) -> dict[str, dt.date]:
    """Topic id -> the last local date it was (or is about to be) posted on this server, before `before`."""
    placeholders = ", ".join("?" for _ in (State.PLANNED, *SHOWN_STATES))
    rows = db.execute(
        f"SELECT topic_id, MAX(local_date) FROM daily_posts WHERE guild_id = ? AND local_date < ? "
        f"AND state IN ({placeholders}) GROUP BY topic_id",
        [guild_id, before.isoformat(), State.PLANNED, *SHOWN_STATES],
    ).fetchall()
    return {topic_id: dt.date.fromisoformat(day) for topic_id, day in rows}


def plan(
    db: sqlite_utils.Database,
    guild_id: int,
    channel_id: int,
    slot: Slot,
    question: DailyQuestion,
    lang: Lang,
    at: dt.datetime,
) -> Post:
    """The post for (server, date): created `planned` the first time, the existing row ever after."""
    order = "".join(str(i) for i in question.order)
    db.execute(
        "INSERT INTO daily_posts (guild_id, local_date, channel_id, topic_id, mcq_index, option_order, lang, due_ts, "
        "state, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?) ON CONFLICT(guild_id, local_date) DO NOTHING",
        [
            guild_id,
            slot.day.isoformat(),
            channel_id,
            question.topic_id,
            question.mcq_index,
            order,
            lang,
            to_ts(slot.due),
            to_ts(at),
        ],
    )
    post = post_for(db, guild_id, slot.day)
    assert post is not None
    return post


def claim(db: sqlite_utils.Database, post_id: int, probe: str, at: dt.datetime) -> Post | None:
    """planned/sending -> sending, with the probe, before the transport is called. None if not claimable.

    The first claim also closes the server's previous post and freezes its answer counts for the reveal.
    """
    with immediate(db):
        post = get_post(db, post_id)
        if post is None or post.state not in (State.PLANNED, State.SENDING):
            return None
        reveals_id = post.reveals_id
        if post.state == State.PLANNED:
            reveals_id = _close_previous(db, post, at)
        db.execute(
            "UPDATE daily_posts SET state = 'sending', attempts = attempts + 1, probe = ?, reveals_id = ? "
            "WHERE id = ?",
            [probe, reveals_id, post_id],
        )
        return replace(
            post, state=State.SENDING, attempts=post.attempts + 1, probe=probe, reveals_id=reveals_id
        )


def _close_previous(db: sqlite_utils.Database, post: Post, at: dt.datetime) -> int | None:
    placeholders = ", ".join("?" for _ in SHOWN_STATES)
    row = db.execute(
        f"SELECT id, closed_ts FROM daily_posts WHERE guild_id = ? AND local_date < ? AND state IN ({placeholders}) "
        "ORDER BY local_date DESC LIMIT 1",
        [post.guild_id, post.day.isoformat(), *SHOWN_STATES],
    ).fetchone()
    if row is None:
        return None
    previous_id, closed_ts = row
    if closed_ts is None:
        answers, correct = tally(db, previous_id)
        db.execute(
            "UPDATE daily_posts SET closed_ts = ?, reveal_answers = ?, reveal_correct = ? WHERE id = ?",
            [to_ts(at), answers, correct, previous_id],
        )
    return previous_id


def tally(db: sqlite_utils.Database, post_id: int) -> tuple[int, int]:
    """(answers, right answers) a post has so far."""
    answers, correct = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM daily_answers WHERE post_id = ?", [post_id]
    ).fetchone()
    return answers, correct


def mark_sent(db: sqlite_utils.Database, post_id: int, message_id: int, at: dt.datetime) -> None:
    db.execute(
        "UPDATE daily_posts SET state = 'sent', message_id = ?, sent_ts = ?, error = NULL "
        "WHERE id = ? AND state = 'sending'",
        [message_id, to_ts(at), post_id],
    )


def mark_recorded(db: sqlite_utils.Database, post_id: int, thread_id: int | None, note: str | None) -> None:
    db.execute(
        "UPDATE daily_posts SET state = 'recorded', thread_id = ?, error = ? WHERE id = ? AND state = 'sent'",
        [thread_id, note, post_id],
    )


def mark_missed(db: sqlite_utils.Database, post_id: int, note: str) -> None:
    db.execute(
        "UPDATE daily_posts SET state = 'missed', error = ? WHERE id = ? AND state IN ('planned', 'sending')",
        [note, post_id],
    )


def mark_failed(db: sqlite_utils.Database, post_id: int, note: str) -> None:
    db.execute(
        "UPDATE daily_posts SET state = 'failed', error = ? WHERE id = ? AND state IN ('planned', 'sending')",
        [note[:200], post_id],
    )


def note_error(db: sqlite_utils.Database, post_id: int, note: str) -> None:
    """A transient failure: the post keeps its state and is retried on the next tick."""
    db.execute("UPDATE daily_posts SET error = ? WHERE id = ?", [note[:200], post_id])
