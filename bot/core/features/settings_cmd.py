"""`/settings show|language|timezone|run-code`: a member's own preferences, and the server's run-code switch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import guilds, members
from bot.core.context import Lang, Request
from bot.core.features.run_code import run_scope
from bot.core.i18n import t
from bot.core.replies import Field, Reply, error
from bot.core.study import zones
from bot.core.study.features.timezone_cmd import timezone_setting

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def settings_show(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    zone = await tutor.db.run(zones.get_zone_name, request.member.user_id)
    fields = [
        Field(t("settings.field.language", lang), t(f"settings.language_name.{lang}", lang), inline=True),
        Field(t("settings.field.timezone", lang), zone, inline=True),
    ]
    scope = run_scope(request.member)
    if scope is not None:
        enabled = await tutor.db.run(guilds.run_code_enabled, scope)
        fields.append(Field(t("settings.field.run_code", lang), _state(enabled, lang), inline=True))
    return Reply(
        title=t("settings.title", lang),
        text=t("settings.usage", lang),
        fields=tuple(fields),
        ephemeral=True,
    )


async def settings_language(tutor: Tutor, request: Request) -> Reply:
    lang: Lang = "en" if request.arg("language") == "en" else "zh"
    await tutor.db.run(members.set_language, request.member.user_id, lang)
    return Reply(text=t("settings.language_set", lang), tone="success", ephemeral=True)


async def settings_timezone(tutor: Tutor, request: Request) -> Reply:
    name = request.arg("timezone")
    return await timezone_setting(tutor, request, str(name) if name else None)


async def settings_run_code(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    enabled = request.arg("state") == "on"
    scope = run_scope(request.member)  # a server's, or the console's (a server its operator owns)
    if scope is None:
        return error(t("settings.server_only", lang))
    if not request.member.is_admin:
        return error(t("settings.admin_only", lang))
    await tutor.db.run(guilds.set_run_code, scope, enabled)
    return Reply(text=t("settings.run_code", lang, state=_state(enabled, lang)), tone="success")


def _state(enabled: bool, lang: Lang) -> str:
    return t("settings.on" if enabled else "settings.off", lang)
