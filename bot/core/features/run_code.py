"""`/run` and `!run`: a member's own snippet in the same sandbox as demos, where the server allows it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core import guilds
from bot.core.context import Request
from bot.core.features.demo import job_for, submit_and_follow, unavailable_reply
from bot.core.i18n import t
from bot.core.replies import Reply, error

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

MAX_CODE = 4000
RUN_WALL_S = 20
_FENCE = re.compile(r"^\s*```[a-zA-Z0-9_+-]*\n(.*?)\n?```\s*$", re.S)


def strip_fence(text: str) -> str:
    match = _FENCE.match(text)
    return match.group(1) if match else text.strip().strip("`")


def guess_framework(code: str) -> str:
    if re.search(r"^\s*(import|from)\s+(tensorflow|keras)\b", code, re.M):
        return "tensorflow"
    if re.search(r"^\s*(import|from)\s+torch\b", code, re.M):
        return "torch"
    return "python"


async def run_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    member = request.member
    if (unavailable := unavailable_reply(tutor, lang)) is not None:
        return unavailable
    runner = tutor.runner
    if runner is not None and runner.mode == "rootless" and not tutor.settings.run_code_rootless:
        # Members' own code needs root mode's isolation unless the operator accepted the risk.
        text = t("sandbox.run_rootless_refused", lang)
        if member.is_admin:
            text += "\n\n" + t("sandbox.run_rootless_admin", lang)
        return error(text)
    if member.guild_id is not None and not await tutor.db.run(guilds.run_code_enabled, member.guild_id):
        return error(t("run.disabled", lang))
    code = strip_fence(request.text)
    if not code.strip():
        return error(t("run.usage", lang))
    if len(code) > MAX_CODE:
        return error(t("run.too_long", lang, length=len(code), limit=MAX_CODE))
    job = job_for(request, code=code, framework=guess_framework(code), wall_s=RUN_WALL_S, priority=1)
    return await submit_and_follow(
        tutor, job, t("run.title", lang, name=member.name), lang, admin=member.is_admin
    )
