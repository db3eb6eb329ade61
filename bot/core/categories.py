"""Category names in both languages, and the category a member meant (`自动求导`, `Autograd` or `autograd`)."""

from __future__ import annotations

from bot.core.context import Lang
from bot.core.i18n import catalog, t
from content.schema import CATEGORIES


def category_name(category: str, lang: Lang) -> str:
    key = f"category.{category}"
    return t(key, lang) if key in catalog() else category


def resolve_category(word: str) -> str | None:
    """The category id for an id or either language's name, ignoring case and surrounding space."""
    wanted = " ".join(word.split()).lower()
    for category in CATEGORIES:
        names = {category, category_name(category, "zh").lower(), category_name(category, "en").lower()}
        if wanted in names:
            return category
    return None
