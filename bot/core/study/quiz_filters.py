"""`/quiz [category] [level] [framework]` (any order), or `/quiz topic:<id>` from a topic's button."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.categories import resolve_category
from content.schema import Topic

FRAMEWORKS = ("pytorch", "tensorflow")
LEVELS = ("1", "2", "3")
FRAMEWORK_WORDS = {  # what members type for each framework (quizzes, challenges)
    "pytorch": "pytorch",
    "torch": "pytorch",
    "pt": "pytorch",
    "tensorflow": "tensorflow",
    "tf": "tensorflow",
    "keras": "tensorflow",
}


@dataclass(frozen=True, slots=True)
class QuizFilter:
    category: str | None = None
    level: int | None = None
    framework: str | None = None
    topic_id: str | None = None

    def matches(self, topic: Topic) -> bool:
        return (
            (self.topic_id is None or topic.id == self.topic_id)
            and (self.category is None or topic.category == self.category)
            and (self.level is None or topic.level == self.level)
            and (self.framework is None or self.framework in topic.frameworks)
        )


class FilterError(ValueError):
    """A word of the arguments that is neither a category, a level nor a framework."""

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def parse_filter(text: str) -> QuizFilter:
    category = level = framework = topic_id = None
    for word in text.split():
        lowered = word.lower()
        if lowered.startswith("topic:") and len(word) > len("topic:"):
            topic_id = lowered.removeprefix("topic:")
        elif (known := resolve_category(word)) is not None:
            category = known
        elif lowered.removeprefix("level").removeprefix("l") in LEVELS:
            level = int(lowered[-1])
        elif lowered in FRAMEWORK_WORDS:
            framework = FRAMEWORK_WORDS[lowered]
        else:
            raise FilterError(word)
    return QuizFilter(category, level, framework, topic_id)


def candidates(topics: dict[str, Topic], wanted: QuizFilter) -> list[Topic]:
    return [topic for topic in topics.values() if wanted.matches(topic)]


def filter_of(values: Mapping[str, object]) -> QuizFilter:
    """The typed `/quiz` values (category, level, framework, topic) as a filter; bad words raise FilterError."""
    if values.get("invalid"):
        raise FilterError(str(values["invalid"]))
    category_word, level, framework, topic_id = (
        values.get(k) for k in ("category", "level", "framework", "topic")
    )
    category = resolve_category(str(category_word)) if category_word else None
    if category_word and category is None:
        raise FilterError(str(category_word))
    if framework is not None and str(framework).lower() not in FRAMEWORK_WORDS:
        raise FilterError(str(framework))
    return QuizFilter(
        category,
        int(level) if isinstance(level, int) else None,
        FRAMEWORK_WORDS[str(framework).lower()] if framework else None,
        str(topic_id) if topic_id else None,
    )
