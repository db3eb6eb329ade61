"""Challenge rows in SQLite: attempts (start, hints, give-up, solve), submissions, the server board.

Every function takes the sqlite-utils database first and runs on the database thread
(`await tutor.db.run(fn, ...)`). A graded submission is also recorded as a study answer on the
challenge's topic (source 'challenge'): the first accepted one as right, a failure as wrong at
most once per FAILURE_GAP_S per challenge (so resubmitting does not farm points), a give-up as
wrong. A wrong answer moves the topic's FSRS card to Again, so a failed challenge schedules it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from bot.core.study.clock import to_ts
from bot.core.study.record import guild_key, record_answer
from bot.core.study.transaction import immediate

FAILURE_GAP_S = 600
SCORED = ("wrong_answer", "runtime_error", "time_limit", "memory_limit", "forbidden")


@dataclass(frozen=True, slots=True)
class Attempt:
    started_ts: int
    hints: int
    solved_ts: int | None
    gave_up_ts: int | None


@dataclass(frozen=True, slots=True)
class Submitted:
    """What storing a graded submission did."""

    first_solve: bool  # the member's first accepted submission of this challenge
    first_in_server: bool  # nobody in this server had solved it before
    counted: bool  # recorded as a study answer on the topic


@dataclass(frozen=True, slots=True)
class BoardRow:
    user_id: int
    solves: int
    first_solves: int
    fastest: int


def get_attempt(db: sqlite_utils.Database, user_id: int, challenge_id: str) -> Attempt | None:
    row = db.execute(
        "SELECT started_ts, hints, solved_ts, gave_up_ts FROM challenge_attempts "
        "WHERE user_id = ? AND challenge_id = ?",
        [user_id, challenge_id],
    ).fetchone()
    return Attempt(*row) if row else None


def start_attempt(db: sqlite_utils.Database, user_id: int, challenge_id: str, at: dt.datetime) -> Attempt:
    db.execute(
        "INSERT INTO challenge_attempts (user_id, challenge_id, started_ts) VALUES (?, ?, ?) "
        "ON CONFLICT(user_id, challenge_id) DO NOTHING",
        [user_id, challenge_id, to_ts(at)],
    )
    attempt = get_attempt(db, user_id, challenge_id)
    assert attempt is not None
    return attempt


def take_hint(
    db: sqlite_utils.Database, user_id: int, challenge_id: str, available: int, at: dt.datetime
) -> int:
    """Reveal one more hint (up to `available`); returns how many are now shown."""
    with immediate(db):
        start_attempt(db, user_id, challenge_id, at)
        db.execute(
            "UPDATE challenge_attempts SET hints = MIN(hints + 1, ?) WHERE user_id = ? AND challenge_id = ?",
            [available, user_id, challenge_id],
        )
        attempt = get_attempt(db, user_id, challenge_id)
    assert attempt is not None
    return attempt.hints


def give_up(
    db: sqlite_utils.Database,
    user_id: int,
    guild_id: int | None,
    challenge_id: str,
    topic_id: str,
    at: dt.datetime,
) -> bool:
    """Mark the challenge given up; the first give-up counts as a wrong answer on its topic."""
    with immediate(db):
        attempt = start_attempt(db, user_id, challenge_id, at)
        if attempt.gave_up_ts is not None or attempt.solved_ts is not None:
            return False
        db.execute(
            "UPDATE challenge_attempts SET gave_up_ts = ? WHERE user_id = ? AND challenge_id = ?",
            [to_ts(at), user_id, challenge_id],
        )
    record_answer(db, user_id, guild_id, topic_id, False, "challenge", at)
    return True


def save_submission(
    db: sqlite_utils.Database,
    user_id: int,
    guild_id: int | None,
    challenge_id: str,
    topic_id: str,
    verdict: str,
    passed: int,
    total: int,
    time_ms: float,
    code: str,
    at: dt.datetime,
) -> Submitted:
    guild = guild_key(guild_id)
    ts = to_ts(at)
    with immediate(db):
        attempt = start_attempt(db, user_id, challenge_id, at)
        server_solved = db.execute(
            "SELECT 1 FROM challenge_submissions WHERE guild_id = ? AND challenge_id = ? AND verdict = 'accepted' LIMIT 1",
            [guild, challenge_id],
        ).fetchone()
        recent_failure = db.execute(
            "SELECT 1 FROM challenge_submissions WHERE user_id = ? AND challenge_id = ? AND verdict IN "
            f"({', '.join('?' * len(SCORED))}) AND at_ts > ? LIMIT 1",
            [user_id, challenge_id, *SCORED, ts - FAILURE_GAP_S],
        ).fetchone()
        db.execute(
            "INSERT INTO challenge_submissions (user_id, guild_id, challenge_id, verdict, passed, total, time_ms, code, at_ts) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [user_id, guild, challenge_id, verdict, passed, total, time_ms, code, ts],
        )
        first_solve = verdict == "accepted" and attempt.solved_ts is None
        if first_solve:
            db.execute(
                "UPDATE challenge_attempts SET solved_ts = ? WHERE user_id = ? AND challenge_id = ?",
                [ts, user_id, challenge_id],
            )
    counted = False
    if first_solve:
        record_answer(db, user_id, guild_id, topic_id, True, "challenge", at)
        counted = True
    elif verdict in SCORED and attempt.solved_ts is None and not recent_failure:
        record_answer(db, user_id, guild_id, topic_id, False, "challenge", at)
        counted = True
    return Submitted(first_solve, first_solve and server_solved is None, counted)


def solved_ids(db: sqlite_utils.Database, user_id: int) -> set[str]:
    rows = db.execute(
        "SELECT challenge_id FROM challenge_attempts WHERE user_id = ? AND solved_ts IS NOT NULL", [user_id]
    ).fetchall()
    return {r[0] for r in rows}


def load_board(db: sqlite_utils.Database, guild_id: int | None, limit: int = 10) -> list[BoardRow]:
    """Members of the server by distinct challenges solved, then first solves, then fastest solves."""
    guild = guild_key(guild_id)
    rows = db.execute(
        """
        WITH acc AS (
            SELECT user_id, challenge_id, MIN(at_ts) AS first_ts, MIN(time_ms) AS best_ms
            FROM challenge_submissions WHERE guild_id = ? AND verdict = 'accepted'
            GROUP BY user_id, challenge_id
        ),
        firsts AS (
            SELECT challenge_id, user_id FROM (
                SELECT challenge_id, user_id,
                       ROW_NUMBER() OVER (PARTITION BY challenge_id ORDER BY first_ts, user_id) AS n FROM acc
            ) WHERE n = 1
        ),
        fastest AS (
            SELECT challenge_id, user_id FROM (
                SELECT challenge_id, user_id,
                       ROW_NUMBER() OVER (PARTITION BY challenge_id ORDER BY best_ms, first_ts) AS n FROM acc
            ) WHERE n = 1
        )
        SELECT acc.user_id, COUNT(*) AS solves,
               (SELECT COUNT(*) FROM firsts WHERE firsts.user_id = acc.user_id) AS first_solves,
               (SELECT COUNT(*) FROM fastest WHERE fastest.user_id = acc.user_id) AS fastest
        FROM acc GROUP BY acc.user_id
        ORDER BY solves DESC, first_solves DESC, fastest DESC, acc.user_id
        LIMIT ?
        """,
        [guild, limit],
    ).fetchall()
    return [BoardRow(*row) for row in rows]
