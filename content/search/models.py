"""The values the search hands back: hits, a response, and autocomplete suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from content.search.errors import ErrorMatch

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked topic; `score` is the ranking score (higher is better, 0 means no evidence)."""

    id: str
    score: float
    title_zh: str
    title_en: str

    def title(self, lang: Lang) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass(frozen=True, slots=True)
class SearchResponse:
    """The ranked topics for one query; when `confident` is False, show them as "did you mean"."""

    query: str
    confident: bool
    hits: list[Hit]
    lang: Lang
    error: ErrorMatch | None = None  # a known error message was recognised; hits[0] is its topic
    off_topic: bool = False  # outside the bank: offer the first hits only as suggestions

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    def to_json(self) -> dict[str, Any]:
        """The shape of `python -m bot ask --json`, titles in the query's language."""
        return {
            "query": self.query,
            "confident": self.confident,
            "results": [{"id": h.id, "title": h.title(self.lang), "score": h.score} for h in self.hits],
            "error": None
            if self.error is None
            else {"topic": self.error.topic_id, "index": self.error.index, "type": self.error.exc_type},
            "off_topic": self.off_topic,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A Discord autocomplete choice: `name` is shown (1 to 100 characters), `value` is the topic id."""

    name: str
    value: str
