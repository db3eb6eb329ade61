"""Interface strings in both languages; topic text comes from the content bank.

Strings live in one YAML file per feature under ``bot/core/locales/`` (``key: {zh: ..., en: ...}``,
both languages with the same ``{placeholders}``; ``tests/bot/test_i18n.py`` checks); a key defined
twice is an error. YAML rather than Python modules: translators can edit them without touching code,
and a file per feature lets parallel branches add strings without conflicts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from bot.core.context import Lang

LOCALES_DIR = Path(__file__).with_name("locales")


@cache
def catalog() -> dict[str, dict[Lang, str]]:
    """Every string: the per-feature YAML files merged."""
    merged: dict[str, dict[Lang, str]] = {}
    for path in sorted(LOCALES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: string key {key!r} is defined twice")
            merged[key] = texts
    return merged


def t(key: str, lang: Lang, **values: object) -> str:
    text = catalog()[key][lang]
    return text.format(**values) if values else text


def tn(key: str, lang: Lang, count: int, **values: object) -> str:
    """`t` with a count: `<key>.one` when the count is 1 and such a key exists (English "1 card")."""
    singular = f"{key}.one"
    chosen = singular if count == 1 and singular in catalog() else key
    return t(chosen, lang, count=count, **values)
