"""Traditional to Simplified Chinese, fast enough for every query and every topic.

Topic text is written in Simplified Chinese, so the index side only needs a character table, applied with
`str.translate`. Queries may be typed in Traditional script with Taiwan vocabulary (程式, 記憶體); those go
through OpenCC's `tw2sp` phrase conversion first, but only when they hold a Traditional-only character:
run on Simplified text, OpenCC rewrites correct words (什么 -> 什幺, 序列 -> 串行).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import opencc
import yaml

log = logging.getLogger(__name__)

_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"

TW_TERMS_FILE = Path(__file__).resolve().parent.parent / "tw_terms.yaml"


def _load_tw_terms(path: Path = TW_TERMS_FILE) -> dict[str, str]:
    """Taiwan computing vocabulary -> the mainland word (data in `content/tw_terms.yaml`)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of Taiwan word -> mainland word")
    return {str(k): str(v) for k, v in raw.items()}


TW_TERMS: dict[str, str] = _load_tw_terms()


def _read_table(name: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (_DICT_DIR / name).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            table[parts[0]] = parts[1].split(" ")[0]
    return table


@functools.cache
def traditional_chars() -> dict[int, str]:
    """Characters that exist only in Traditional script, mapped to their Simplified form."""
    to_simplified = _read_table("TSCharacters.txt")
    simplified_keys = set(_read_table("STCharacters.txt"))
    table = {c: s for c, s in to_simplified.items() if s != c and c not in simplified_keys}
    return str.maketrans(table)


@functools.cache
def _tw_converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def has_traditional(text: str) -> bool:
    table = traditional_chars()
    return any(ord(c) in table for c in text)


def simplify_chars(text: str) -> str:
    """Character-level Traditional -> Simplified; a no-op on Simplified text."""
    return text.translate(traditional_chars())


def simplify_query(text: str) -> str:
    """Traditional (Taiwan) phrasing -> Simplified, then Taiwan computing words -> mainland words."""
    if has_traditional(text):
        try:
            text = _tw_converter().convert(text)
        except Exception:  # the converter is third-party code; a character table is the fallback
            log.exception("OpenCC conversion failed; using the character table only")
        text = simplify_chars(text)
    for word, mainland in TW_TERMS.items():
        if word in text:
            text = text.replace(word, mainland)
    return text
