"""Targeted practice: `/quiz mistakes` and `/quiz weakest`, and the per-option `why_wrong` lines."""

from __future__ import annotations

import datetime as dt
import random
from typing import Literal

import sqlite_utils

from bot.core.context import Lang
from bot.core.study.cards import all_cards
from bot.core.study.clock import to_ts
from bot.core.study.mastery import mastery_by_category
from bot.core.study.stats import RECENT_ACCURACY_DAYS
from content.schema import MultipleChoice, Topic

Mode = Literal["mistakes", "weakest"]
_MODES: dict[str, Mode] = {
    "mistakes": "mistakes",
    "mistake": "mistakes",
    "wrong": "mistakes",
    "错题": "mistakes",
    "錯題": "mistakes",
    "weakest": "weakest",
    "weak": "weakest",
    "薄弱": "weakest",
    "最弱": "weakest",
}


def targeted_mode(text: str) -> Mode | None:
    words = text.split()
    return _MODES.get(words[0].lower()) if len(words) == 1 else None


def mistaken_topics(db: sqlite_utils.Database, user_id: int, at: dt.datetime) -> list[str]:
    """Topics whose latest answer was wrong, the ones due for review first, then the most recent mistake."""
    rows = db.execute(
        """
        SELECT a.topic_id, COALESCE(c.due_ts, 0) <= ? AS due, a.at_ts
        FROM study_answers a
        LEFT JOIN study_cards c ON c.user_id = a.user_id AND c.topic_id = a.topic_id
        WHERE a.user_id = ? AND a.correct = 0
          AND a.id = (SELECT MAX(id) FROM study_answers b WHERE b.user_id = a.user_id AND b.topic_id = a.topic_id)
        ORDER BY due DESC, a.at_ts DESC
        """,
        [to_ts(at), user_id],
    )
    return [row[0] for row in rows.fetchall()]


def weakest_category(
    db: sqlite_utils.Database, user_id: int, topics: list[Topic], at: dt.datetime, rng: random.Random
) -> str:
    """The category with the lowest mastery, recent accuracy breaking ties; a random one among equals."""
    since = to_ts(at) - RECENT_ACCURACY_DAYS * 86400
    recent = {
        topic_id: (answers, correct)
        for topic_id, answers, correct in db.execute(
            "SELECT topic_id, COUNT(*), SUM(correct) FROM study_answers WHERE user_id = ? AND at_ts >= ? "
            "GROUP BY topic_id",
            [user_id, since],
        ).fetchall()
    }
    mastery = mastery_by_category(topics, all_cards(db, user_id), at, recent)

    def weakness(m) -> tuple[float, float]:
        accuracy = m.recent_accuracy if m.recent_accuracy is not None else 0.0
        return (m.mastery, accuracy)

    lowest = min(weakness(m) for m in mastery)
    return rng.choice([m.category for m in mastery if weakness(m) == lowest])


def why_wrong_line(mcq: MultipleChoice, option: int, lang: Lang) -> str | None:
    """The line explaining why wrong option `option` (an index in the topic file) is wrong."""
    if mcq.why_wrong is None or option == mcq.answer:
        return None
    lines = getattr(mcq.why_wrong, lang)
    position = option if option < mcq.answer else option - 1
    return lines[position] if 0 <= position < len(lines) else None


def why_wrong_lines(mcq: MultipleChoice, lang: Lang) -> str:
    options = getattr(mcq.options, lang)
    lines = []
    for i, option in enumerate(options):
        why = why_wrong_line(mcq, i, lang)
        if why:
            lines.append(f"• {option}: {why}")
    return "\n".join(lines)
