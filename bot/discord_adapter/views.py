"""Views for a Reply: page buttons, choice buttons and a select menu, disabled when the view times out."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable

import discord

from bot.core.replies import Choice, Reply
from bot.discord_adapter import limits
from bot.discord_adapter.render import build_embed, clip, page_count

# Runs a core action (e.g. "/topic autograd-basics en") for whoever clicked, and answers the click.
ActionHandler = Callable[[discord.Interaction, str], Awaitable[None]]

VIEW_TIMEOUT_S = 600
STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class ActionButton(discord.ui.Button["ReplyView"]):
    def __init__(self, choice: Choice, row: int) -> None:
        super().__init__(label=clip(choice.label, limits.BUTTON_LABEL), style=STYLES[choice.style], row=row)
        self.action = choice.action

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.on_action(interaction, self.action)


class ActionSelect(discord.ui.Select["ReplyView"]):
    def __init__(self, choices: tuple[Choice, ...], placeholder: str | None, row: int) -> None:
        options = [
            discord.SelectOption(
                label=clip(c.label, limits.SELECT_LABEL),
                value=c.action[: limits.SELECT_VALUE],
                description=clip(c.description, limits.SELECT_DESCRIPTION) if c.description else None,
            )
            for c in choices[: limits.SELECT_OPTIONS]
        ]
        super().__init__(
            options=options, placeholder=clip(placeholder or "…", limits.SELECT_PLACEHOLDER), row=row
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.on_action(interaction, self.values[0])


class PageButton(discord.ui.Button["ReplyView"]):
    def __init__(self, step: int) -> None:
        super().__init__(label="◀" if step < 0 else "▶", style=discord.ButtonStyle.secondary, row=0)
        self.step = step

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.turn(interaction, self.step)


class ReplyView(discord.ui.View):
    """Everything clickable on one reply. Row 0: pages; rows 1-3: choices; row 4: the select menu."""

    def __init__(self, reply: Reply, on_action: ActionHandler, timeout: float = VIEW_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.reply = reply
        self.page = 0
        self._on_action = on_action
        self.message: discord.Message | discord.InteractionMessage | None = None
        if page_count(reply) > 1:
            self.prev_button = PageButton(-1)
            self.next_button = PageButton(+1)
            self.add_item(self.prev_button)
            self.add_item(self.next_button)
            self._sync_pages()
        for i, choice in enumerate(reply.choices[:15]):
            self.add_item(ActionButton(choice, row=1 + i // 5))
        if reply.select:
            self.add_item(ActionSelect(reply.select, reply.select_placeholder, row=4))

    @staticmethod
    def wanted(reply: Reply) -> bool:
        return page_count(reply) > 1 or bool(reply.choices) or bool(reply.select)

    def _sync_pages(self) -> None:
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= page_count(self.reply) - 1

    async def turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(page_count(self.reply) - 1, self.page + step))
        self._sync_pages()
        await interaction.response.edit_message(embed=build_embed(self.reply, self.page), view=self)

    async def on_action(self, interaction: discord.Interaction, action: str) -> None:
        await self._on_action(interaction, action)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.message.edit(view=self)
