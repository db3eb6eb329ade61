"""Which questions an interview asks: topics with key points, at the member's level, categories mixed."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from content.schema import CATEGORIES, Topic

DEFAULT_QUESTIONS = 5
MAX_QUESTIONS = 10
_QUESTIONS = re.compile(r"^(?:q|n|questions?)[:=]?(\d{1,2})$|^(\d{1,2})(?:q|题|道)?$")


class PlanError(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


@dataclass(frozen=True, slots=True)
class Wanted:
    category: str | None = None
    level: int | None = None
    questions: int = DEFAULT_QUESTIONS


def parse_wanted(text: str, category_names: dict[str, str] | None = None) -> Wanted:
    """`[category] [level] [questions]` in any order: a number 1-3 is a level (or `level2`/`L2`),
    a larger one (or `q5`, `5题`) the number of questions; a category may be given by its localized name."""
    names = {c: c for c in CATEGORIES} | {k.lower(): v for k, v in (category_names or {}).items()}
    category = level = None
    questions = DEFAULT_QUESTIONS
    for word in text.split():
        lowered = word.lower()
        level_word = lowered.removeprefix("level").removeprefix("l")
        match = _QUESTIONS.match(lowered)
        if lowered in names:
            category = names[lowered]
        elif level_word in ("1", "2", "3") and level is None:
            level = int(level_word)
        elif match and 1 <= int(match.group(1) or match.group(2)) <= MAX_QUESTIONS:
            questions = int(match.group(1) or match.group(2))
        else:
            raise PlanError(word)
    return Wanted(category, level, questions)


def member_level(answers: int, correct: int) -> int:
    """A rough level from the member's quiz record: everyone starts at 1."""
    accuracy = correct / answers if answers else 0.0
    if answers >= 30 and accuracy >= 0.75:
        return 3
    if answers >= 10 and accuracy >= 0.6:
        return 2
    return 1


def eligible(topics: Iterable[Topic]) -> list[Topic]:
    return [t for t in topics if t.key_points and t.follow_ups]


def pick(
    topics: Iterable[Topic], wanted: Wanted, level: int, recent: set[str], rng: random.Random
) -> list[Topic]:
    """Up to `wanted.questions` topics: the wanted category and level (or any level up to the member's),
    round-robin over categories so a default interview is mixed, topics not asked recently first."""
    pool = [
        t
        for t in eligible(topics)
        if (wanted.category is None or t.category == wanted.category)
        and (t.level == wanted.level if wanted.level is not None else t.level <= level)
    ]
    by_category: dict[str, list[Topic]] = {}
    for topic in sorted(pool, key=lambda t: (t.id in recent, rng.random())):
        by_category.setdefault(topic.category, []).append(topic)
    order = list(by_category)
    rng.shuffle(order)
    picked: list[Topic] = []
    while len(picked) < wanted.questions and any(by_category.values()):
        for category in order:
            if by_category[category] and len(picked) < wanted.questions:
                picked.append(by_category[category].pop(0))
    return picked
