"""Text normalisation shared by the index and the query: Unicode NFKC (full-width forms become ASCII),
no control characters, Simplified script, single spaces. Case is kept here because the tokenizer splits
camelCase names before it lower-cases; `fold` gives the lower-cased form."""

from __future__ import annotations

import re
import unicodedata

from content.search.script import simplify_chars, simplify_query

MAX_QUERY_CHARS = 600

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\u200b-\u200f]")
_SPACES = re.compile(r"\s+")
_CPP = re.compile(r"c\+\+", re.IGNORECASE)


def as_text(value: object) -> str:
    """Whatever the caller passed, as a str (bytes are decoded, None is empty)."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _clean(text: str) -> str:
    """NFKC, printable characters only, `c++` spelled `cpp`, single spaces."""
    text = _UNPRINTABLE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CPP.sub("cpp", text)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Index-side normalisation: clean, then Traditional characters to Simplified."""
    return simplify_chars(_clean(text))


def normalize_query(value: object) -> str:
    """A query as typed -> normalised text, at most MAX_QUERY_CHARS long, Taiwan phrasing made mainland."""
    text = as_text(value)[: MAX_QUERY_CHARS * 2]
    return simplify_query(_clean(text)[:MAX_QUERY_CHARS])


def fold(text: str) -> str:
    """Normalised and lower-cased: the form used for substring matching."""
    return normalize(text).lower()
