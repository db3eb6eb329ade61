"""Mastery per category: FSRS's predicted recall, averaged over every topic of the category.

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


def mastery_by_category(
    topics: Iterable[Topic], cards: list[StoredCard], at: dt.datetime
) -> list[CategoryMastery]:
    """One entry per category, in the order the topics come."""
    recall = {c.topic_id: retrievability(c.card, at) if c.card.state == State.Review else 0.0 for c in cards}
    values: dict[str, list[float]] = {}
    seen: dict[str, int] = {}
    for topic in topics:
        values.setdefault(topic.category, []).append(recall.get(topic.id, 0.0))
        seen[topic.category] = seen.get(topic.category, 0) + int(topic.id in recall)
    return [
        CategoryMastery(category, sum(r) / len(r), seen[category], len(r)) for category, r in values.items()
    ]
