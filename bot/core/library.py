"""The content bank and its search index, loaded once and swapped whole on reload."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from content.loader import Bank, load_bank
from content.schema import Topic
from content.search import SearchIndex, SearchResponse

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Library:
    bank: Bank
    index: SearchIndex

    @classmethod
    def load(cls) -> Library:
        """Blocking: call from a thread. Broken files are logged and left out, never fatal."""
        bank = load_bank()
        for problem in bank.problems:
            log.warning("content problem: %s", problem)
        return cls(bank=bank, index=SearchIndex.build(bank.topics.values()))

    def topic(self, topic_id: str) -> Topic | None:
        return self.bank.topics.get(topic_id)

    def search(self, query: str, limit: int = 5) -> SearchResponse:
        return self.index.search(query, limit=limit)

    @property
    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for topic in self.bank.topics.values():
            seen.setdefault(topic.category, None)
        return list(seen)
