"""`/run` and `!run`: a member's own snippet in the same sandbox as demos, where the server allows it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core import guilds
from bot.core.context import Member, Request
from bot.core.features.demo import job_for, submit_and_follow, unavailable_reply
from bot.core.i18n import t
from bot.core.replies import Reply, error
from bot.core.study.record import LOCAL_GUILD

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

MAX_CODE = 4000
RUN_WALL_S = 20
# The first ``` block: an optional language tag ends at a newline, or, on one line, is a known name.
_BLOCK = re.compile(r"```(?P<body>.*?)(?:```|\Z)", re.S)
_TAG = re.compile(r"^(?P<tag>[A-Za-z0-9_+-]*)[ \t]*\n")
_ONE_LINE_TAGS = {"python", "py", "python3", "py3", "pycon", "pytorch", "torch", "tensorflow", "tf", "keras"}


def strip_fence(text: str) -> str:
    """The code of a message: the first ``` block (its language tag dropped), else the text itself.

    Works for a block over several lines and for one typed on one line (`/run ```python print(1)```).
    """
    match = _BLOCK.search(text)
    if match is None:
        return text.strip().strip("`")
    body = match.group("body")
    tagged = _TAG.match(body)
    if tagged is not None:
        return body[tagged.end() :].rstrip()
    head, _, rest = body.strip().partition(" ")
    if head.lower() in _ONE_LINE_TAGS and rest.strip():
        return rest.strip()
    return body.strip()


def guess_framework(code: str) -> str:
    if re.search(r"^\s*(import|from)\s+(tensorflow|keras)\b", code, re.M):
        return "tensorflow"
    if re.search(r"^\s*(import|from)\s+torch\b", code, re.M):
        return "torch"
    return "python"


def run_scope(member: Member) -> int | None:
    """Whose `run-code` setting applies: the server's; the console is a server its operator owns
    (the pseudo-server of the local scores); a direct message has none, so no code runs there."""
    if member.guild_id is not None:
        return member.guild_id
    return LOCAL_GUILD if member.is_admin else None


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
    scope = run_scope(member)
    if scope is None:
        return error(t("run.server_only", lang))
    if not await tutor.db.run(guilds.run_code_enabled, scope):
        return error(t("run.disabled_console" if member.guild_id is None else "run.disabled", lang))
    code = strip_fence(request.text)
    if not code.strip():
        return error(t("run.usage_any", lang))
    if len(code) > MAX_CODE:
        return error(t("run.too_long", lang, length=len(code), limit=MAX_CODE))
    job = job_for(request, code=code, framework=guess_framework(code), wall_s=RUN_WALL_S, priority=1)
    return await submit_and_follow(
        tutor, job, t("run.title", lang, name=member.name), lang, admin=member.is_admin
    )
