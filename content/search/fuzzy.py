"""Typo tolerance: an unknown English word or identifier is matched to the closest index terms.

Only terms the index has never seen are corrected, against index terms of similar length, with an
optimal-string-alignment distance (a swap of two letters costs 1): `pytroch` -> pytorch,
`distilation` -> distillation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

MIN_LENGTH = 5  # shorter words are too often real words the index happens not to hold ("hood")
SHRINK_FROM = 8  # only words this long may be corrected to a shorter term ("excel" is not "exce")


def max_edits(length: int) -> int:
    """How many edits a word of this length may be away from its correction."""
    if length < MIN_LENGTH:
        return 0
    return 1 if length <= 8 else 2


@dataclass(frozen=True, slots=True)
class Correction:
    term: str
    similarity: float  # 1.0 for the term itself, less for each edit


@dataclass(frozen=True, slots=True)
class Speller:
    """Known spellings grouped by length, each mapped to the index term it stands for: surface words
    (`clipping` -> clip) as well as the index terms themselves (`retain_graph`)."""

    by_length: dict[int, tuple[str, ...]]
    terms: dict[str, str]

    @classmethod
    def build(cls, spellings: Mapping[str, str]) -> Speller:
        groups: dict[int, list[str]] = defaultdict(list)
        kept: dict[str, str] = {}
        for spelling, term in spellings.items():
            if len(spelling) >= MIN_LENGTH - 1 and spelling.isascii() and not spelling.startswith("~"):
                groups[len(spelling)].append(spelling)
                kept[spelling] = term
        return cls({length: tuple(sorted(words)) for length, words in groups.items()}, kept)

    def correct(self, word: str, limit: int = 2) -> list[Correction]:
        """Index terms of the closest known spellings within `max_edits`, best first; empty when none is
        close enough."""
        edits = max_edits(len(word))
        if edits == 0:
            return []
        candidates: list[tuple[int, str]] = []
        shortest = len(word) - edits if len(word) >= SHRINK_FROM else len(word)
        for length in range(shortest, len(word) + edits + 1):
            choices = self.by_length.get(length)
            if not choices:
                continue
            for spelling, distance, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=edits, limit=limit
            ):
                candidates.append((int(distance), self.terms[spelling]))
        if not candidates:
            return []
        closest = min(distance for distance, _ in candidates)
        best = sorted({term for distance, term in candidates if distance == closest})
        return [Correction(term, 1.0 - 0.15 * closest) for term in best[:limit]]
