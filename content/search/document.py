"""A topic as the search sees it: its text gathered into weighted fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from content.search.normalize import normalize


@dataclass(frozen=True, slots=True)
class Field:
    """One part of a topic's text. `weight` scales its BM25 score; `b` is BM25's length normalisation."""

    name: str
    weight: float
    b: float


FIELDS: tuple[Field, ...] = (
    Field("title", 2.5, 0.3),
    Field("aliases", 2.5, 0.3),
    Field("summary", 1.5, 0.5),
    Field("answer", 1.0, 0.75),
    Field("errors", 1.0, 0.5),
    Field("extra", 0.5, 0.75),
    Field("code", 0.4, 0.75),
)


@dataclass(frozen=True, slots=True)
class Document:
    """A topic's searchable text: normalised field texts plus the titles and aliases shown to users."""

    id: str
    title_zh: str
    title_en: str
    aliases: tuple[str, ...]
    fields: dict[str, str]
    level: int
    category: str


def _both(text: Any) -> Iterator[str]:
    if text is None:
        return
    for lang in ("zh", "en"):
        value = getattr(text, lang, None)
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            yield from (v for v in value if isinstance(v, str))


def _join(parts: Iterable[str]) -> str:
    return normalize("\n".join(parts))


def _quiz_texts(quiz: Any) -> Iterator[str]:
    for mcq in getattr(quiz, "mcq", None) or ():
        yield from _both(mcq.question)
        # Only the right option: the distractors are plausible misconceptions that name other
        # topics' ideas on purpose, and would pull questions about those topics here.
        for lang in ("zh", "en"):
            options = getattr(getattr(mcq, "options", None), lang, None) or ()
            if 0 <= mcq.answer < len(options):
                yield options[mcq.answer]
        yield from _both(mcq.explanation)
    for card in getattr(quiz, "cards", None) or ():
        yield from _both(card.front)
        yield from _both(card.back)


def _extra_texts(topic: Any) -> Iterator[str]:
    yield from _both(getattr(topic, "pitfalls", None))
    misconception = getattr(topic, "misconception", None)
    if misconception is not None:
        yield from _both(misconception.wrong)
        yield from _both(misconception.right)
    yield from _quiz_texts(getattr(topic, "quiz", None))
    for snippet in getattr(topic, "code", None) or ():
        yield from _both(snippet.caption)


_REGEX_SYNTAX = re.compile(r"\\[dswDSW][+*?]?|\(\?[:!=s]*|[\\()\[\]{}?*+|^$]|-\?")


def _error_texts(topic: Any) -> Iterator[str]:
    """The error messages a topic explains (their patterns' literal words) and what it says about them."""
    for entry in getattr(topic, "errors", None) or ():
        yield entry.type
        yield _REGEX_SYNTAX.sub(" ", entry.pattern)
        yield from _both(entry.means)
        yield from _both(entry.fix)


def document(topic: Any) -> Document:
    """Topic (or any object shaped like one) -> Document. Missing optional parts are simply empty."""
    aliases = tuple(_both(getattr(topic, "aliases", None)))
    fields = {
        "title": _join([*_both(topic.title), topic.id.replace("-", " ")]),
        "aliases": _join(aliases),
        "summary": _join(_both(getattr(topic, "summary", None))),
        "answer": _join(_both(getattr(topic, "answer", None))),
        "errors": _join(_error_texts(topic)),
        "extra": _join(_extra_texts(topic)),
        "code": _join(s.source for s in getattr(topic, "code", None) or ()),
    }
    return Document(
        id=topic.id,
        title_zh=topic.title.zh,
        title_en=topic.title.en,
        aliases=aliases,
        fields=fields,
        level=int(getattr(topic, "level", 2) or 2),
        category=str(getattr(topic, "category", "") or ""),
    )
