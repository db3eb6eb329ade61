"""A normalised query -> weighted index terms: tokens weighted by kind, typos corrected, duplicates merged."""

from __future__ import annotations

from dataclasses import dataclass

from content.search.fuzzy import Speller
from content.search.rank import Postings
from content.search.tokenize import HAN, Kind, Token, tokenize

KIND_WEIGHTS: dict[Kind, float] = {
    Kind.WORD: 1.0,
    Kind.IDENT: 1.3,
    Kind.PART: 0.5,
    Kind.BIGRAM: 0.7,
    Kind.SPAN: 0.4,
    Kind.HAN_WORD: 0.5,
    Kind.HAN_CHAR: 0.3,
    Kind.CONCEPT: 0.7,
}
# Unknown tokens of these kinds still count against the query's coverage (a typo nobody could fix, a
# word no topic uses, gibberish); unknown bigrams across a word boundary say little and are ignored.
_COUNTED_WHEN_UNKNOWN = frozenset({Kind.WORD, Kind.IDENT, Kind.BIGRAM, Kind.HAN_CHAR})
_CORRECTABLE = frozenset({Kind.WORD, Kind.IDENT, Kind.PART})


@dataclass(frozen=True, slots=True)
class WeightedQuery:
    terms: dict[str, float]
    lang: str  # "zh" when the query holds any Chinese character, else "en"


def language(text: str) -> str:
    return "zh" if HAN.search(text) else "en"


MAX_CORRECTIONS = 8  # typo look-ups per query: bounds the cost of long junk input


@dataclass(slots=True)
class _Builder:
    postings: Postings
    speller: Speller
    terms: dict[str, float]
    corrections_left: int = MAX_CORRECTIONS

    def add(self, term: str, weight: float) -> None:
        if weight > self.terms.get(term, 0.0):
            self.terms[term] = weight

    def place(self, token: Token) -> None:
        weight = KIND_WEIGHTS[token.kind]
        if token.term in self.postings:
            self.add(token.term, weight)
            return
        if token.kind in _CORRECTABLE and self.corrections_left > 0:
            self.corrections_left -= 1
            corrections = self.speller.correct(token.surface or token.term)
            for fix in corrections:
                self.add(fix.term, weight * fix.similarity)
            if corrections:
                return
        if token.kind in _COUNTED_WHEN_UNKNOWN:
            self.add(token.term, weight)


def weigh(text: str, postings: Postings, speller: Speller) -> WeightedQuery:
    """Normalised query text -> WeightedQuery; an empty `terms` means nothing searchable was typed."""
    builder = _Builder(postings, speller, {})
    for token in tokenize(text):
        builder.place(token)
    return WeightedQuery(builder.terms, language(text))
