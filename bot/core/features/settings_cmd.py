"""`/settings`: a member's own preferences (server-wide settings come with their features)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import guilds, members
from bot.core.context import Request
from bot.core.features.run_code import run_scope
from bot.core.i18n import t
from bot.core.replies import Reply, error
from bot.core.study.features.timezone_cmd import timezone_setting

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def settings_command(tutor: Tutor, request: Request) -> Reply:
    words = request.text.split()
    if len(words) == 2 and words[0] == "language" and words[1] in ("zh", "en"):
        lang = words[1]
        await tutor.db.run(members.set_language, request.member.user_id, lang)
        return Reply(text=t("settings.language_set", lang), tone="success", ephemeral=True)
    if len(words) == 2 and words[0] == "run-code" and words[1] in ("on", "off"):
        return await _set_run_code(tutor, request, words[1] == "on")
    if words and words[0] == "timezone" and len(words) <= 2:
        return await timezone_setting(tutor, request, words[1] if len(words) == 2 else None)
    return error(t("settings.usage", request.lang))


async def _set_run_code(tutor: Tutor, request: Request, enabled: bool) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    scope = run_scope(request.member)
    if scope is None:
        return error(t("settings.server_only", lang))
    if not request.member.is_admin:
        return error(t("settings.admin_only", lang))
    await tutor.db.run(guilds.set_run_code, scope, enabled)
    state = ("开" if enabled else "关") if lang == "zh" else ("on" if enabled else "off")
    return Reply(text=t("settings.run_code", lang, state=state), tone="success")
