"""A daily post's answer buttons: persistent, so clicks work on posts sent before a restart.

Each button's custom id is `daily:<post id>:<option>`, the two numbers of its `/daily-answer` action;
a `DynamicItem` registered on the bot turns any click on such a custom id back into that action, with
no view kept in memory per message.
"""

from __future__ import annotations

import logging
import re

import discord

from bot.core.daily.actions import DailyAnswer, parse_answer_action
from bot.core.replies import Reply
from bot.discord_adapter import limits
from bot.discord_adapter.render import clip
from bot.discord_adapter.views import STYLES, dispatch_action

log = logging.getLogger(__name__)


class DailyAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"daily:(?P<post>[0-9]{1,18}):(?P<shown>[0-9])"
):
    def __init__(
        self, answer: DailyAnswer, label: str = "?", style: discord.ButtonStyle = discord.ButtonStyle.primary
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(label, limits.BUTTON_LABEL),
                style=style,
                custom_id=f"daily:{answer.post_id}:{answer.shown}",
            )
        )
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
    ) -> DailyAnswerButton:
        label = getattr(item, "label", None) or "?"
        return cls(DailyAnswer(int(match["post"]), int(match["shown"])), label)

    async def callback(self, interaction: discord.Interaction) -> None:
        await dispatch_action(interaction, self.answer.action())


def answer_view(reply: Reply) -> discord.ui.View:
    """The post's buttons, from its choices (each a `/daily-answer` action)."""
    view = discord.ui.View(timeout=None)
    for choice in reply.choices:
        answer = parse_answer_action(choice.action)
        if answer is None:
            log.warning("daily post choice %r is not an answer action; left out", choice.action)
            continue
        view.add_item(DailyAnswerButton(answer, choice.label, STYLES[choice.style]))
    return view
