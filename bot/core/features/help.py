"""`/help`: every listed command with a one-line description, from the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Request
from bot.core.i18n import t
from bot.core.replies import Field, Reply

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def help_command(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    fields = tuple(Field(name=spec.usage(), value=t(spec.key(), lang)) for spec in tutor.commands.listed())
    return Reply(title=t("help.title", lang), text=t("help.intro", lang), fields=fields)
