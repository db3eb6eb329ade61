"""`/settings`: a member's own preferences (server-wide settings come with their features)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import members
from bot.core.context import Request
from bot.core.i18n import t
from bot.core.replies import Reply, error

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def settings_command(tutor: Tutor, request: Request) -> Reply:
    words = request.text.split()
    if len(words) == 2 and words[0] == "language" and words[1] in ("zh", "en"):
        lang = words[1]
        await tutor.db.run(members.set_language, request.member.user_id, lang)
        return Reply(text=t("settings.language_set", lang), tone="success", ephemeral=True)
    return error(t("settings.usage", request.lang))
