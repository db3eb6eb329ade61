"""English words: stopwords and a light, predictable suffix stemmer (no dictionary needed).

The stemmer only has to map a word and its inflections to the same key on both the index and the query
side (trace, traces, traced, tracing -> trac); it is deliberately conservative with short words.
"""

from __future__ import annotations

import functools


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = word_set(
    """
    a an the and or but if then else of to in on at by for from with without into onto over under about
    as is are was were be been being am do does did doing done have has had having can could should would
    will shall may might must need needs i me my we our you your he she it its they them their this that
    these those there here what which who whom whose when where why how whats hows whys way ways
    not no yes so than too very just also only even still some any all each every both either neither
    more most much many few such own same other another again once ever really actually basically
    get gets got getting make makes made making use uses used using like want wants trying try tries
    vs versus vs. difference differences between explain explained mean means meaning thing things
    one ones whether while does doesnt dont isnt arent cant wont didnt im ive youre e.g i.e etc
    """
)

_VOWELS = frozenset("aeiou")


def _undouble(stem: str) -> str:
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    return stem


def _strip_e(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def _plural(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "as")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _verbal(word: str) -> str:
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and any(c in _VOWELS for c in stem):
            return _undouble(stem)
    return word


def _nominal(word: str) -> str:
    for suffix, keep in (("ization", "iz"), ("isation", "iz"), ("ation", "at"), ("ness", ""), ("ly", "")):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4:
            return stem + keep
    return word


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Lower-case ASCII word -> stem; words with digits or underscores are returned unchanged."""
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    word = _plural(word)
    word = _verbal(word)
    word = _nominal(word)
    word = word.replace("ise", "ize") if word.endswith(("ise", "ised", "ising")) else word
    return _strip_e(word)


def is_stopword(word: str) -> bool:
    return word in STOPWORDS
