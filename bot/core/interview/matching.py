"""Which key points a free-text answer covers: bilingual term matching.

Each key point lists `terms` in both languages (API names, key words, usual phrasings). An answer is
normalised (NFKC, Traditional to Simplified, lower case, `_`/`.`/`()` treated as spaces) and a term
matches when its words appear in the answer as a run of words (English, each word compared by stem,
so "buffers" matches "buffer") or as a substring (Chinese). Both languages' terms are tried whatever
language the member writes in, since answers mix them ("用 register_buffer 注册").

A point is pre-ticked when at least two distinct terms match, or one term that is specific on its own
(an identifier such as `state_dict`, a phrase of several words, or four or more Chinese characters).
Pre-ticking is a suggestion: the member corrects the ticks before they count. Accuracy on a
hand-labelled answer set is measured by `bench/interview_matching.py` (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from content.schema import KeyPoint
from content.search.english import stem
from content.search.normalize import normalize

_HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")
_IDENTIFIER = re.compile(r"[A-Za-z0-9]+[_.][A-Za-z0-9_.]+|[a-z]+[A-Z][A-Za-z]+|\w+\(\)")
SPECIFIC_HAN_CHARS = 4
ENOUGH_TERMS = 2


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer prepared once for matching against many terms."""

    han: str  # the answer's Chinese text, without spaces, for substring matching
    stems: tuple[str, ...]  # the answer's English words, stemmed, in order


def prepare(text: str) -> Answer:
    folded = normalize(text).lower()
    han = "".join(_HAN.findall(folded))
    words = [w for w in _WORD.findall(folded) if not _HAN.match(w)]
    return Answer(han, tuple(stem(w) for w in words))


def _term_stems(term: str) -> tuple[str, ...]:
    folded = normalize(term).lower()
    return tuple(stem(w) for w in _WORD.findall(folded) if not _HAN.match(w))


def _contains_run(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    if not needle or len(needle) > len(haystack):
        return False
    first = needle[0]
    for i, word in enumerate(haystack[: len(haystack) - len(needle) + 1]):
        if word == first and tuple(haystack[i : i + len(needle)]) == tuple(needle):
            return True
    return False


def term_matches(answer: Answer, term: str) -> bool:
    han = "".join(_HAN.findall(normalize(term)))
    stems = _term_stems(term)
    if han and han not in answer.han:
        return False
    if stems and not _contains_run(answer.stems, stems):
        return False
    return bool(han or stems)


def is_specific(term: str) -> bool:
    """A term that shows the point on its own: an identifier, a phrase, or a long Chinese term."""
    if _IDENTIFIER.search(term):
        return True
    if len(_HAN.findall(term)) >= SPECIFIC_HAN_CHARS:
        return True
    return len(_term_stems(term)) >= 2


def matched_terms(answer: Answer, terms: Iterable[str]) -> list[str]:
    return [term for term in dict.fromkeys(terms) if term_matches(answer, term)]


def covers(answer: Answer, point: KeyPoint) -> bool:
    found = matched_terms(answer, [*point.terms.zh, *point.terms.en])
    return len(found) >= ENOUGH_TERMS or any(is_specific(term) for term in found)


def auto_ticks(text: str, points: Sequence[KeyPoint]) -> list[bool]:
    """For each key point, whether the answer's wording clearly covers it."""
    answer = prepare(text)
    return [covers(answer, point) for point in points]
