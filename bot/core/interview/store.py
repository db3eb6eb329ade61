"""Interviews in SQLite (migration 5). Functions take a `sqlite_utils.Database` and run on the db thread.

An interview walks each question through three stages: `question` (waiting for the answer), `ticks`
(the key point checklist, which the member may correct) and `follow_up` (the next question an
interviewer would ask, with its short answer); after the last one it is `done`, or `stopped` early.
Every step names the interview and the question's position, so a stale button does nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from bot.core.study.clock import from_ts, to_ts
from bot.core.study.transaction import immediate

Stage = Literal["question", "ticks", "follow_up", "done", "stopped"]
OPEN_STAGES: tuple[Stage, ...] = ("question", "ticks", "follow_up")


@dataclass(frozen=True, slots=True)
class AnswerRow:
    position: int
    topic_id: str
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str | None
    auto_ticks: tuple[bool, ...]
    ticks: tuple[bool, ...]
    confirmed: bool  # the member accepted the ticks: the question counts

    @property
    def seconds(self) -> int | None:
        if self.answered_at is None:
            return None
        return max(0, int((self.answered_at - self.asked_at).total_seconds()))


@dataclass(frozen=True, slots=True)
class Interview:
    id: str
    user_id: int
    guild_id: int
    lang: str
    topic_ids: tuple[str, ...]
    position: int
    stage: Stage
    started_at: dt.datetime
    finished_at: dt.datetime | None
    answers: tuple[AnswerRow, ...]

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def current(self) -> AnswerRow | None:
        return next((a for a in self.answers if a.position == self.position), None)


def _bools(text: str | None) -> tuple[bool, ...]:
    return tuple(bool(v) for v in json.loads(text)) if text else ()


def _answer_row(row: tuple) -> AnswerRow:
    position, topic_id, asked_ts, answered_ts, answer, auto_ticks, ticks, confirmed_ts = row
    return AnswerRow(
        position,
        topic_id,
        from_ts(asked_ts),
        from_ts(answered_ts) if answered_ts is not None else None,
        answer,
        _bools(auto_ticks),
        _bools(ticks),
        confirmed_ts is not None,
    )


def load(db: sqlite_utils.Database, interview_id: str) -> Interview | None:
    row = db.execute(
        "SELECT id, user_id, guild_id, lang, topics, position, stage, started_ts, finished_ts "
        "FROM interviews WHERE id = ?",
        [interview_id],
    ).fetchone()
    if row is None:
        return None
    answers = db.execute(
        "SELECT position, topic_id, asked_ts, answered_ts, answer, auto_ticks, ticks, confirmed_ts "
        "FROM interview_answers WHERE interview_id = ? ORDER BY position",
        [interview_id],
    ).fetchall()
    return Interview(
        row[0],
        row[1],
        row[2],
        row[3],
        tuple(json.loads(row[4])),
        row[5],
        row[6],
        from_ts(row[7]),
        from_ts(row[8]) if row[8] is not None else None,
        tuple(_answer_row(a) for a in answers),
    )


def open_interview(db: sqlite_utils.Database, user_id: int) -> Interview | None:
    row = db.execute(
        "SELECT id FROM interviews WHERE user_id = ? AND stage IN ('question', 'ticks', 'follow_up') "
        "ORDER BY started_ts DESC LIMIT 1",
        [user_id],
    ).fetchone()
    return load(db, row[0]) if row else None


def latest_finished(db: sqlite_utils.Database, user_id: int) -> Interview | None:
    row = db.execute(
        "SELECT id FROM interviews WHERE user_id = ? AND stage IN ('done', 'stopped') "
        "ORDER BY started_ts DESC LIMIT 1",
        [user_id],
    ).fetchone()
    return load(db, row[0]) if row else None


def start(
    db: sqlite_utils.Database, user_id: int, guild_id: int, lang: str, topic_ids: list[str], at: dt.datetime
) -> Interview:
    """A new interview at its first question; any open one of the member's is stopped first."""
    interview_id = secrets.token_hex(4)
    with immediate(db):
        db.execute(
            "UPDATE interviews SET stage = 'stopped', finished_ts = ? "
            "WHERE user_id = ? AND stage IN ('question', 'ticks', 'follow_up')",
            [to_ts(at), user_id],
        )
        db.execute(
            "INSERT INTO interviews (id, user_id, guild_id, lang, topics, position, stage, started_ts) "
            "VALUES (?, ?, ?, ?, ?, 0, 'question', ?)",
            [interview_id, user_id, guild_id, lang, json.dumps(topic_ids), to_ts(at)],
        )
        _ask(db, interview_id, user_id, 0, topic_ids[0], at)
    interview = load(db, interview_id)
    assert interview is not None
    return interview


def _ask(
    db: sqlite_utils.Database, interview_id: str, user_id: int, position: int, topic_id: str, at: dt.datetime
):
    db.execute(
        "INSERT INTO interview_answers (interview_id, user_id, position, topic_id, asked_ts) VALUES (?, ?, ?, ?, ?)",
        [interview_id, user_id, position, topic_id, to_ts(at)],
    )


def _move(
    db: sqlite_utils.Database, interview_id: str, position: int, from_stage: Stage, to_stage: Stage
) -> bool:
    """Compare-and-set on (position, stage): a second click of the same button changes nothing."""
    cursor = db.execute(
        "UPDATE interviews SET stage = ? WHERE id = ? AND position = ? AND stage = ?",
        [to_stage, interview_id, position, from_stage],
    )
    return cursor.rowcount == 1


def save_answer(
    db: sqlite_utils.Database, interview_id: str, position: int, text: str, ticks: list[bool], at: dt.datetime
) -> bool:
    """The member's answer to the current question, with the pre-ticked key points."""
    with immediate(db):
        if not _move(db, interview_id, position, "question", "ticks"):
            return False
        encoded = json.dumps(ticks)
        db.execute(
            "UPDATE interview_answers SET answer = ?, answered_ts = ?, auto_ticks = ?, ticks = ? "
            "WHERE interview_id = ? AND position = ?",
            [text, to_ts(at), encoded, encoded, interview_id, position],
        )
        return True


def toggle_tick(db: sqlite_utils.Database, interview_id: str, position: int, point: int) -> bool:
    with immediate(db):
        row = db.execute(
            "SELECT a.ticks FROM interview_answers a JOIN interviews i ON i.id = a.interview_id "
            "WHERE a.interview_id = ? AND a.position = ? AND i.position = ? AND i.stage = 'ticks'",
            [interview_id, position, position],
        ).fetchone()
        if row is None:
            return False
        ticks = list(_bools(row[0]))
        if not 0 <= point < len(ticks):
            return False
        ticks[point] = not ticks[point]
        db.execute(
            "UPDATE interview_answers SET ticks = ? WHERE interview_id = ? AND position = ?",
            [json.dumps(ticks), interview_id, position],
        )
        return True


def confirm_ticks(db: sqlite_utils.Database, interview_id: str, position: int, at: dt.datetime) -> bool:
    with immediate(db):
        if not _move(db, interview_id, position, "ticks", "follow_up"):
            return False
        db.execute(
            "UPDATE interview_answers SET confirmed_ts = ? WHERE interview_id = ? AND position = ?",
            [to_ts(at), interview_id, position],
        )
        return True


def advance(db: sqlite_utils.Database, interview_id: str, position: int, at: dt.datetime) -> bool:
    """From a follow-up to the next question, or to the end after the last one."""
    with immediate(db):
        interview = load(db, interview_id)
        if interview is None or interview.position != position or interview.stage != "follow_up":
            return False
        nxt = position + 1
        if nxt >= len(interview.topic_ids):
            db.execute(
                "UPDATE interviews SET stage = 'done', finished_ts = ? WHERE id = ?",
                [to_ts(at), interview_id],
            )
            return True
        db.execute("UPDATE interviews SET position = ?, stage = 'question' WHERE id = ?", [nxt, interview_id])
        _ask(db, interview_id, interview.user_id, nxt, interview.topic_ids[nxt], at)
        return True


def stop(db: sqlite_utils.Database, interview_id: str, at: dt.datetime) -> bool:
    with immediate(db):
        cursor = db.execute(
            "UPDATE interviews SET stage = 'stopped', finished_ts = ? "
            "WHERE id = ? AND stage IN ('question', 'ticks', 'follow_up')",
            [to_ts(at), interview_id],
        )
        return cursor.rowcount == 1


@dataclass(frozen=True, slots=True)
class History:
    interviews: int
    answered: int
    average: float | None  # mean share of key points covered, over answered questions


def history(db: sqlite_utils.Database, user_id: int) -> History:
    interviews = db.execute(
        "SELECT COUNT(*) FROM interviews WHERE user_id = ? AND stage IN ('done', 'stopped')", [user_id]
    ).fetchone()[0]
    shares = []
    for (ticks,) in db.execute(
        "SELECT a.ticks FROM interview_answers a JOIN interviews i ON i.id = a.interview_id "
        "WHERE a.user_id = ? AND a.confirmed_ts IS NOT NULL AND i.stage IN ('done', 'stopped')",
        [user_id],
    ).fetchall():
        values = _bools(ticks)
        if values:
            shares.append(sum(values) / len(values))
    return History(interviews, len(shares), sum(shares) / len(shares) if shares else None)
