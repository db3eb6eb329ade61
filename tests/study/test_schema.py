"""The study tables and the query plans of the hot queries: every one is answered from an index."""

from __future__ import annotations

import pytest
import sqlite_utils

from bot.storage import Database

HOT_QUERIES = {
    "due cards": (
        "SELECT topic_id FROM study_cards WHERE user_id = ? AND due_ts <= ? ORDER BY due_ts LIMIT 25",
        [1, 0],
    ),
    "next due": ("SELECT MIN(due_ts) FROM study_cards WHERE user_id = ? AND due_ts > ?", [1, 0]),
    "member cards": ("SELECT card FROM study_cards WHERE user_id = ?", [1]),
    "streak days": ("SELECT day, answers, correct FROM study_days WHERE user_id = ? ORDER BY day", [1]),
    "board": (
        "SELECT user_id, points, answers, correct FROM study_scores WHERE guild_id = ? AND period = ? "
        "ORDER BY points DESC, answers DESC, user_id LIMIT 10",
        [1, "all"],
    ),
    "rank": (
        "SELECT COUNT(*) FROM study_scores WHERE guild_id = ? AND period = ? "
        "AND (points > ? OR (points = ? AND answers > ?))",
        [1, "all", 1, 1, 1],
    ),
    "forget scores": ("DELETE FROM study_scores WHERE user_id = ?", [1]),
    "forget answers": ("DELETE FROM study_answers WHERE user_id = ?", [1]),
    "pending": ("DELETE FROM study_pending WHERE user_id = ? AND created_ts < ?", [1, 0]),
}


def plan(d: sqlite_utils.Database, sql: str, params: list) -> str:
    return " | ".join(row[-1] for row in d.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


@pytest.mark.parametrize("name", sorted(HOT_QUERIES))
async def test_hot_queries_use_an_index(db: Database, name: str) -> None:
    sql, params = HOT_QUERIES[name]
    detail = await db.run(plan, sql, params)
    assert "USING" in detail and "SCAN study" not in detail, detail
    assert "TEMP B-TREE" not in detail, detail
