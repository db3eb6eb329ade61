"""Autocomplete for Discord: at most 25 choices, names of at most 100 characters, cheap per keystroke.

A typed prefix matches a topic when it occurs in one of the topic's titles (best), its aliases or id, or
when the ranked search, with the last, unfinished word completed from the index vocabulary, scores it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from content.search.document import Document
from content.search.normalize import fold
from content.search.tokenize import LATIN

MAX_CHOICES = 25
MAX_NAME = 100
MAX_COMPLETIONS = 12


@dataclass(frozen=True, slots=True)
class Labels:
    """Every topic's titles (tier 0) and aliases and id (tier 1), lower-cased and normalised, each tier
    joined into one string so a prefix is found with `str.find` instead of a loop over topics."""

    blobs: tuple[str, str]
    starts: tuple[tuple[int, ...], tuple[int, ...]]

    @classmethod
    def build(cls, docs: Sequence[Document]) -> Labels:
        titles = ["\n".join((fold(d.title_zh), fold(d.title_en))) for d in docs]
        others = ["\n".join((*(fold(a) for a in d.aliases), d.id, d.id.replace("-", " "))) for d in docs]
        blobs, starts = [], []
        for texts in (titles, others):
            offsets, length = [], 0
            for text in texts:
                offsets.append(length)
                length += len(text) + 1
            blobs.append("\x00".join(texts))
            starts.append(tuple(offsets))
        return cls((blobs[0], blobs[1]), (starts[0], starts[1]))

    def tiers(self, needle: str) -> dict[int, int]:
        """Topic position -> best tier whose text contains `needle`."""
        found: dict[int, int] = {}
        if not needle or "\x00" in needle:
            return found
        for tier in (1, 0):
            blob, starts = self.blobs[tier], self.starts[tier]
            at = blob.find(needle)
            while at >= 0:
                position = bisect.bisect_right(starts, at) - 1
                found[position] = tier
                end = starts[position + 1] if position + 1 < len(starts) else len(blob)
                at = blob.find(needle, end)
        return found


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Sorted index terms, for completing the word being typed."""

    terms: tuple[str, ...]

    def complete(self, stub: str, limit: int = MAX_COMPLETIONS) -> list[str]:
        start = bisect.bisect_left(self.terms, stub)
        found: list[str] = []
        for term in self.terms[start:]:
            if not term.startswith(stub) or len(found) >= limit:
                break
            found.append(term)
        return found


def worth_matching(needle: str) -> bool:
    """Substring matching starts at two Latin characters or one Chinese character."""
    return len(needle) >= 2 or not needle.isascii()


def unfinished_word(text: str) -> str | None:
    """The Latin word the user is still typing (no trailing space), lower-cased."""
    if not text or text[-1].isspace():
        return None
    matches = list(LATIN.finditer(text))
    if not matches or matches[-1].end() != len(text):
        return None
    return matches[-1].group().lower()


def display_name(title: str) -> str:
    """A Discord choice name: 1 to 100 characters."""
    title = " ".join(title.split()) or "?"
    return title if len(title) <= MAX_NAME else title[: MAX_NAME - 1] + "…"
