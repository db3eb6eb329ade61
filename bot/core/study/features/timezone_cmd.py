"""`/settings timezone [IANA name]`: the zone a member's streak days are counted in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Request
from bot.core.i18n import t
from bot.core.replies import Reply, error
from bot.core.study import clock, zones

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def timezone_setting(tutor: Tutor, request: Request, name: str | None) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    user_id = request.member.user_id
    if name is None:
        current = await tutor.db.run(zones.get_zone_name, user_id)
        return Reply(text=t("settings.timezone_current", lang, zone=current), ephemeral=True)
    canonical = zones.canonical_zone(name)
    if canonical is None:
        return error(t("settings.timezone_unknown", lang, zone=name[:64]))
    await tutor.db.run(zones.set_zone, user_id, canonical)
    local = clock.now().astimezone(zones.zone(canonical)).strftime("%Y-%m-%d %H:%M")
    return Reply(
        text=t("settings.timezone_set", lang, zone=canonical, local=local), tone="success", ephemeral=True
    )
