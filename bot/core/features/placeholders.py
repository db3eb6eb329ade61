"""Commands whose features land in later issues answer politely until then."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Request
from bot.core.i18n import t
from bot.core.replies import Reply

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def not_available(tutor: Tutor, request: Request) -> Reply:
    return Reply(text=t("not_available", request.lang, command=request.command), tone="info")
