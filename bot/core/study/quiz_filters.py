"""`/quiz [category] [level] [framework]` (any order), or `/quiz topic:<id>` from a topic's button."""

from __future__ import annotations

from dataclasses import dataclass

from content.schema import CATEGORIES, Topic

FRAMEWORKS = ("pytorch", "tensorflow")
LEVELS = ("1", "2", "3")
_FRAMEWORK_ALIASES = {
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
        elif lowered in CATEGORIES:
            category = lowered
        elif lowered.removeprefix("level").removeprefix("l") in LEVELS:
            level = int(lowered[-1])
        elif lowered in _FRAMEWORK_ALIASES:
            framework = _FRAMEWORK_ALIASES[lowered]
        else:
            raise FilterError(word)
    return QuizFilter(category, level, framework, topic_id)


def candidates(topics: dict[str, Topic], wanted: QuizFilter) -> list[Topic]:
    return [topic for topic in topics.values() if wanted.matches(topic)]
