"""Mastery per category: FSRS's predicted recall, averaged over every topic of the category, shown
beside the member's recent accuracy in that category (what they earn from their first right answer).

Only cards that have graduated to FSRS's Review state count; a topic never answered, still in its
first learning steps, or relearning after a wrong answer counts as 0. So mastery grows by covering a
category and keeping what was learned fresh, drops at once on a wrong answer, and decays between
reviews as FSRS predicts forgetting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from fsrs import State

from bot.core.study.cards import StoredCard
from bot.core.study.scheduler import retrievability
from content.schema import Topic


@dataclass(frozen=True, slots=True)
class CategoryMastery:
    category: str
    mastery: float  # 0..1
    seen: int
    topics: int
    recent_answers: int = 0  # answers about this category's topics in the last RECENT_ACCURACY_DAYS
    recent_correct: int = 0

    @property
    def recent_accuracy(self) -> float | None:
        return self.recent_correct / self.recent_answers if self.recent_answers else None


def mastery_by_category(
    topics: Iterable[Topic],
    cards: list[StoredCard],
    at: dt.datetime,
    recent: dict[str, tuple[int, int]] | None = None,
) -> list[CategoryMastery]:
    """One entry per category, in the order the topics come; `recent` is topic -> (answers, correct)."""
    recent = recent or {}
    recall = {c.topic_id: retrievability(c.card, at) if c.card.state == State.Review else 0.0 for c in cards}
    values: dict[str, list[float]] = {}
    seen: dict[str, int] = {}
    answered: dict[str, list[int]] = {}
    for topic in topics:
        values.setdefault(topic.category, []).append(recall.get(topic.id, 0.0))
        seen[topic.category] = seen.get(topic.category, 0) + int(topic.id in recall)
        answers, correct = recent.get(topic.id, (0, 0))
        totals = answered.setdefault(topic.category, [0, 0])
        totals[0] += answers
        totals[1] += correct
    return [
        CategoryMastery(category, sum(r) / len(r), seen[category], len(r), *answered[category])
        for category, r in values.items()
    ]
