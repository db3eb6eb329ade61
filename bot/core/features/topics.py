"""`/topics [category]`: browse the bank by category and level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.categories import category_name, resolve_category
from bot.core.context import Request
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Reply, error

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def topics_command(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    word = str(request.arg("category") or "").strip()
    category = resolve_category(word) if word else ""
    topics = tutor.library.bank.topics.values()
    categories = tutor.library.categories
    if not category:
        counts = {c: sum(1 for tp in topics if tp.category == c) for c in categories}
        options = tuple(
            Choice(f"{category_name(c, lang)} ({counts[c]})", f"/topics {c}", description=c)
            for c in categories
        )
        return Reply(title=t("topics.title", lang), select=options, select_placeholder=t("topics.pick", lang))
    if category is None or category not in categories:
        known = ", ".join(category_name(c, lang) for c in categories)
        return error(t("topics.unknown_category", lang, category=clip(word, 40), known=known))
    members = sorted((tp for tp in topics if tp.category == category), key=lambda tp: (tp.level, tp.id))
    options = tuple(
        Choice(clip(f"L{tp.level} · {tp.title.get(lang)}", 100), f"/topic {tp.id}", description=tp.id)
        for tp in members[:25]
    )
    return Reply(
        title=f"{t('topics.title', lang)}: {category_name(category, lang)}",
        select=options,
        select_placeholder=t("topics.pick_topic", lang),
    )
