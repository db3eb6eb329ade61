"""Rules that keep multiple-choice questions honest: the right option must not give itself away."""

from __future__ import annotations

from collections.abc import Iterable

from content.schema import LANGS, MultipleChoice, Topic

# Bank-wide: the correct option may be the uniquely longest one in at most this share of the MCQs.
LONGEST_SHARE_MAX = 0.35


def correct_is_uniquely_longest(mcq: MultipleChoice, lang: str) -> bool:
    options = getattr(mcq.options, lang)
    lengths = [len(option) for option in options]
    longest = max(lengths)
    return lengths[mcq.answer] == longest and lengths.count(longest) == 1


def longest_share(topics: Iterable[Topic], lang: str) -> tuple[int, int]:
    """(how many MCQs give themselves away by length, how many MCQs) in one language."""
    mcqs = [mcq for topic in topics for mcq in topic.quiz.mcq]
    return sum(correct_is_uniquely_longest(m, lang) for m in mcqs), len(mcqs)


def topic_gives_itself_away(topic: Topic, lang: str) -> bool:
    """The loose per-topic rule: a topic with two or more MCQs may not make the answer the longest in all."""
    mcqs = topic.quiz.mcq
    return len(mcqs) >= 2 and all(correct_is_uniquely_longest(m, lang) for m in mcqs)


__all__ = [
    "LANGS",
    "LONGEST_SHARE_MAX",
    "correct_is_uniquely_longest",
    "longest_share",
    "topic_gives_itself_away",
]
