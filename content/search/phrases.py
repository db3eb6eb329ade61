"""Whole-alias matches: a query that contains every term of one of a topic's aliases ("CUDA out of
memory", "retain_graph=True 什么时候用") gets a bonus for that topic on top of BM25, since an alias is what
the content writers saw students type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from content.search.document import Document
from content.search.normalize import normalize
from content.search.rank import Postings
from content.search.tokenize import Kind, tokenize

ALIAS_BONUS = 1.0  # bonus = ALIAS_BONUS x the summed IDF of the alias's terms


@dataclass(frozen=True, slots=True)
class Alias:
    position: int  # the topic's position in the index
    terms: frozenset[str]
    mass: float  # summed IDF of the terms


@dataclass(frozen=True, slots=True)
class AliasIndex:
    """Aliases keyed by their rarest term, so a query only checks aliases it could complete."""

    by_key: dict[str, tuple[Alias, ...]]

    @classmethod
    def build(cls, documents: Iterable[Document], postings: Postings) -> AliasIndex:
        by_key: dict[str, list[Alias]] = {}
        for position, doc in enumerate(documents):
            for text in doc.aliases:
                alias = _alias(position, text, postings)
                if alias is not None:
                    key = max(alias.terms, key=lambda t: (postings.idf.get(t, 0.0), t))
                    by_key.setdefault(key, []).append(alias)
        return cls({key: tuple(aliases) for key, aliases in by_key.items()})

    def bonus(self, query: Mapping[str, float], n_docs: int) -> np.ndarray | None:
        """Per-topic bonus for the aliases the query contains; None when there is none."""
        found: dict[int, float] = {}
        for term in query:
            for alias in self.by_key.get(term, ()):
                if alias.terms <= query.keys() and alias.mass > found.get(alias.position, 0.0):
                    found[alias.position] = alias.mass
        if not found:
            return None
        bonus = np.zeros(n_docs, dtype=np.float32)
        bonus[list(found)] = [ALIAS_BONUS * mass for mass in found.values()]
        return bonus


def _alias(position: int, text: str, postings: Postings) -> Alias | None:
    tokens = [t for t in tokenize(normalize(text), concepts=False) if t.kind is not Kind.SPAN]
    terms = frozenset(t.term for t in tokens)
    if not terms or (len(terms) == 1 and tokens[0].kind is not Kind.IDENT):
        return None  # a one-word alias is already matched as well as it can be by BM25
    return Alias(position, terms, sum(postings.idf.get(t, 0.0) for t in terms))
