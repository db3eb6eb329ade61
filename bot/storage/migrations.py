"""Numbered schema migrations, applied in order at start-up; never edit one that has shipped."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "members and servers",
        """
        CREATE TABLE members (
            user_id     INTEGER PRIMARY KEY,
            language    TEXT CHECK (language IN ('zh', 'en')),
            timezone    TEXT,
            created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE guilds (
            guild_id          INTEGER PRIMARY KEY,
            language          TEXT CHECK (language IN ('zh', 'en')),
            run_code_enabled  INTEGER NOT NULL DEFAULT 0,
            created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """,
    ),
    Migration(
        2,
        "study loop: FSRS cards, answers, local days, scores, pending questions, privacy tokens",
        # Every table holding a member's data has a `user_id` column: /export-my-data and /forget-me
        # find them by that column (bot/core/study/privacy.py). Times are unix seconds, UTC.
        """
        CREATE TABLE study_cards (
            user_id   INTEGER NOT NULL,
            topic_id  TEXT NOT NULL,
            card      TEXT NOT NULL,
            due_ts    INTEGER NOT NULL,
            reviews   INTEGER NOT NULL DEFAULT 0,
            lapses    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, topic_id)
        ) WITHOUT ROWID;
        CREATE INDEX study_cards_due ON study_cards (user_id, due_ts);
        CREATE TABLE study_answers (
            id        INTEGER PRIMARY KEY,
            user_id   INTEGER NOT NULL,
            guild_id  INTEGER NOT NULL,
            topic_id  TEXT NOT NULL,
            source    TEXT NOT NULL CHECK (source IN ('quiz', 'daily', 'review')),
            rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            correct   INTEGER NOT NULL CHECK (correct IN (0, 1)),
            at_ts     INTEGER NOT NULL,
            local_day INTEGER NOT NULL
        );
        CREATE INDEX study_answers_user ON study_answers (user_id, at_ts);
        CREATE TABLE study_days (
            user_id  INTEGER NOT NULL,
            day      INTEGER NOT NULL,
            answers  INTEGER NOT NULL,
            correct  INTEGER NOT NULL,
            PRIMARY KEY (user_id, day)
        ) WITHOUT ROWID;
        CREATE TABLE study_scores (
            guild_id INTEGER NOT NULL,
            period   TEXT NOT NULL,
            user_id  INTEGER NOT NULL,
            points   INTEGER NOT NULL,
            answers  INTEGER NOT NULL,
            correct  INTEGER NOT NULL,
            PRIMARY KEY (guild_id, period, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX study_scores_rank ON study_scores (guild_id, period, points DESC, answers DESC);
        CREATE INDEX study_scores_user ON study_scores (user_id);
        CREATE TABLE study_pending (
            token      TEXT PRIMARY KEY,
            user_id    INTEGER NOT NULL,
            topic_id   TEXT NOT NULL,
            mcq_index  INTEGER NOT NULL,
            created_ts INTEGER NOT NULL
        );
        CREATE INDEX study_pending_user ON study_pending (user_id, created_ts);
        CREATE TABLE privacy_tokens (
            user_id    INTEGER PRIMARY KEY,
            token      TEXT NOT NULL,
            created_ts INTEGER NOT NULL
        )
        """,
    ),
    Migration(
        3,
        "daily question: per-server schedule, the post outbox keyed by (server, local date), answers",
        # The outbox and its states are described in bot/core/daily/posts.py. Times are unix seconds, UTC.
        """
        CREATE TABLE daily_configs (
            guild_id        INTEGER PRIMARY KEY,
            channel_id      INTEGER NOT NULL,
            post_time       TEXT NOT NULL,
            timezone        TEXT NOT NULL,
            category        TEXT,
            level           INTEGER CHECK (level BETWEEN 1 AND 3),
            enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            since_ts        INTEGER NOT NULL,
            disabled_reason TEXT,
            disabled_detail TEXT,
            disabled_ts     INTEGER
        );
        CREATE TABLE daily_posts (
            id             INTEGER PRIMARY KEY,
            guild_id       INTEGER NOT NULL,
            local_date     TEXT NOT NULL,
            channel_id     INTEGER NOT NULL,
            topic_id       TEXT NOT NULL,
            mcq_index      INTEGER NOT NULL,
            option_order   TEXT NOT NULL,
            lang           TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
            due_ts         INTEGER NOT NULL,
            state          TEXT NOT NULL CHECK (state IN
                               ('planned', 'sending', 'sent', 'recorded', 'missed', 'failed')),
            attempts       INTEGER NOT NULL DEFAULT 0,
            probe          TEXT,
            message_id     INTEGER,
            thread_id      INTEGER,
            reveals_id     INTEGER REFERENCES daily_posts (id),
            closed_ts      INTEGER,
            reveal_answers INTEGER,
            reveal_correct INTEGER,
            error          TEXT,
            created_ts     INTEGER NOT NULL,
            sent_ts        INTEGER,
            UNIQUE (guild_id, local_date)
        );
        CREATE INDEX daily_posts_open ON daily_posts (state) WHERE state IN ('planned', 'sending', 'sent');
        CREATE INDEX daily_posts_topics ON daily_posts (guild_id, topic_id, local_date);
        CREATE TABLE daily_answers (
            post_id  INTEGER NOT NULL REFERENCES daily_posts (id),
            user_id  INTEGER NOT NULL,
            picked   INTEGER NOT NULL,
            correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
            at_ts    INTEGER NOT NULL,
            PRIMARY KEY (post_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX daily_answers_user ON daily_answers (user_id)
        """,
    ),
    Migration(
        4,
        "coding challenges: submissions and attempts; challenge results count as study answers",
        # A graded challenge is recorded in study_answers with source 'challenge', so its CHECK is
        # widened by rebuilding the table (SQLite cannot alter a CHECK in place). Times are unix
        # seconds, UTC. Both new tables name the member in `user_id` (export and deletion find them).
        """
        CREATE TABLE study_answers_v4 (
            id        INTEGER PRIMARY KEY,
            user_id   INTEGER NOT NULL,
            guild_id  INTEGER NOT NULL,
            topic_id  TEXT NOT NULL,
            source    TEXT NOT NULL CHECK (source IN ('quiz', 'daily', 'review', 'challenge')),
            rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            correct   INTEGER NOT NULL CHECK (correct IN (0, 1)),
            at_ts     INTEGER NOT NULL,
            local_day INTEGER NOT NULL
        );
        INSERT INTO study_answers_v4 (id, user_id, guild_id, topic_id, source, rating, correct, at_ts, local_day)
            SELECT id, user_id, guild_id, topic_id, source, rating, correct, at_ts, local_day FROM study_answers;
        DROP TABLE study_answers;
        ALTER TABLE study_answers_v4 RENAME TO study_answers;
        CREATE INDEX study_answers_user ON study_answers (user_id, at_ts);
        CREATE TABLE challenge_submissions (
            id            INTEGER PRIMARY KEY,
            user_id       INTEGER NOT NULL,
            guild_id      INTEGER NOT NULL,
            challenge_id  TEXT NOT NULL,
            verdict       TEXT NOT NULL CHECK (verdict IN ('accepted', 'wrong_answer', 'runtime_error',
                              'time_limit', 'memory_limit', 'forbidden', 'rejected')),
            passed        INTEGER NOT NULL,
            total         INTEGER NOT NULL,
            time_ms       REAL NOT NULL,
            code          TEXT NOT NULL,
            at_ts         INTEGER NOT NULL
        );
        CREATE INDEX challenge_submissions_board ON challenge_submissions (guild_id, challenge_id, verdict, at_ts);
        CREATE INDEX challenge_submissions_user ON challenge_submissions (user_id, challenge_id, at_ts);
        CREATE TABLE challenge_attempts (
            user_id       INTEGER NOT NULL,
            challenge_id  TEXT NOT NULL,
            started_ts    INTEGER NOT NULL,
            hints         INTEGER NOT NULL DEFAULT 0,
            solved_ts     INTEGER,
            gave_up_ts    INTEGER,
            PRIMARY KEY (user_id, challenge_id)
        ) WITHOUT ROWID
        """,
    ),
    Migration(
        5,
        "mock interviews: interviews and their answers; study answers may come from interviews",
        # Both tables carry `user_id`, so /export-my-data and /forget-me cover them. The stages are
        # described in bot/core/interview/store.py. study_answers is rebuilt to accept two more sources
        # (SQLite cannot alter a CHECK constraint); its rows and ids are kept.
        """
        CREATE TABLE interviews (
            id          TEXT PRIMARY KEY,
            user_id     INTEGER NOT NULL,
            guild_id    INTEGER NOT NULL,
            lang        TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
            topics      TEXT NOT NULL,
            position    INTEGER NOT NULL DEFAULT 0,
            stage       TEXT NOT NULL CHECK (stage IN ('question', 'ticks', 'follow_up', 'done', 'stopped')),
            started_ts  INTEGER NOT NULL,
            finished_ts INTEGER
        );
        CREATE INDEX interviews_user ON interviews (user_id, started_ts);
        CREATE TABLE interview_answers (
            interview_id TEXT NOT NULL,
            user_id      INTEGER NOT NULL,
            position     INTEGER NOT NULL,
            topic_id     TEXT NOT NULL,
            asked_ts     INTEGER NOT NULL,
            answered_ts  INTEGER,
            answer       TEXT,
            auto_ticks   TEXT,
            ticks        TEXT,
            confirmed_ts INTEGER,
            PRIMARY KEY (interview_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX interview_answers_user ON interview_answers (user_id);
        CREATE TABLE study_answers_v5 (
            id        INTEGER PRIMARY KEY,
            user_id   INTEGER NOT NULL,
            guild_id  INTEGER NOT NULL,
            topic_id  TEXT NOT NULL,
            source    TEXT NOT NULL CHECK (source IN ('quiz', 'daily', 'review', 'challenge', 'interview')),
            rating    INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            correct   INTEGER NOT NULL CHECK (correct IN (0, 1)),
            at_ts     INTEGER NOT NULL,
            local_day INTEGER NOT NULL
        );
        INSERT INTO study_answers_v5 SELECT id, user_id, guild_id, topic_id, source, rating, correct, at_ts, local_day
            FROM study_answers;
        DROP TABLE study_answers;
        ALTER TABLE study_answers_v5 RENAME TO study_answers;
        CREATE INDEX study_answers_user ON study_answers (user_id, at_ts)
        """,
    ),
    Migration(
        7,
        "replies shown with buttons, so their buttons work after a restart",
        """
        CREATE TABLE shown_replies (
            key         TEXT PRIMARY KEY,
            user_id     INTEGER NOT NULL,
            reply       TEXT NOT NULL,
            created_ts  INTEGER NOT NULL
        );
        CREATE INDEX shown_replies_user ON shown_replies (user_id);
        CREATE INDEX shown_replies_created ON shown_replies (created_ts)
        """,
    ),
    Migration(
        8,
        "leaderboard: a wrong answer scores no points (it used to score 1)",
        """
        UPDATE study_scores SET points = 2 * correct WHERE points != 2 * correct
        """,
    ),
)


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def apply_migrations(conn: sqlite3.Connection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply every migration newer than the database, each in its own transaction."""
    applied = current_version(conn)
    for migration in migrations:
        if migration.version <= applied:
            continue
        log.info("applying migration %d: %s", migration.version, migration.description)
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                (migration.version, migration.description),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied = migration.version
    return applied


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]
