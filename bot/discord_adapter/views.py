"""The components of a Reply: page buttons, choice buttons and a select menu, all persistent.

Each component is a `discord.ui.DynamicItem` whose custom id holds only the key of the reply in the
database (`bot/core/shown.py`) and an index: `bp:c:<key>:<i>` (choice i), `bp:s:<key>` (the menu, whose
option values are indexes) and `bp:p:<key>:<page>` (turn to that page). A click after a restart, or
days later, finds the reply again; nothing is kept in memory and nothing times out. The item classes
are registered on the bot (`register`); `ReplyView` just lays them out for one message.
"""

from __future__ import annotations

import logging
import re

import discord

from bot.core import shown
from bot.core.context import Member
from bot.core.i18n import t
from bot.core.replies import Choice, Reply, error
from bot.discord_adapter import limits
from bot.discord_adapter.render import build_embed, clip, page_count

log = logging.getLogger(__name__)

STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}
KEY = r"(?P<key>[A-Za-z0-9_-]{8,32})"


def member_for(interaction: discord.Interaction) -> Member:
    """Who clicked or typed, as the core sees them (Manage Server makes an admin)."""
    return Member(
        user_id=interaction.user.id,
        name=getattr(interaction.user, "display_name", interaction.user.name),
        guild_id=interaction.guild_id,
        is_admin=interaction.guild_id is not None and interaction.permissions.manage_guild,
        locale=str(interaction.locale),
    )


async def dispatch_action(interaction: discord.Interaction, action: str) -> None:
    """Run a core action line for whoever clicked and answer the click."""
    from bot.discord_adapter.respond import send_to_interaction  # respond builds these views

    tutor = interaction.client.tutor  # type: ignore[attr-defined]
    reply: Reply = await tutor.handle(action, member_for(interaction), request_id=str(interaction.id))
    await send_to_interaction(interaction, reply)


async def _refuse(interaction: discord.Interaction, key: str) -> None:
    from bot.discord_adapter.respond import send_to_interaction

    tutor = interaction.client.tutor  # type: ignore[attr-defined]
    lang, _chosen = await tutor.member_lang(member_for(interaction))
    await send_to_interaction(interaction, error(t(key, lang)))


async def _recall(interaction: discord.Interaction, key: str) -> shown.Shown | None:
    tutor = interaction.client.tutor  # type: ignore[attr-defined]
    found = await tutor.db.run(shown.recall, key)
    if found is None:
        await _refuse(interaction, "components.gone")
    return found


async def _pick(interaction: discord.Interaction, key: str, choices_of: str, index: int) -> None:
    found = await _recall(interaction, key)
    if found is None:
        return
    choices = found.reply.choices if choices_of == "choices" else found.reply.select
    if not 0 <= index < len(choices):
        await _refuse(interaction, "components.gone")
        return
    choice = choices[index]
    if choice.owner_only and interaction.user.id != found.user_id:
        await _refuse(interaction, "components.not_yours")
        return
    if choice.prompt is not None:
        await interaction.response.send_modal(TextModal(choice.label, choice.prompt, choice.action))
        return
    await dispatch_action(interaction, choice.action)


class TextModal(discord.ui.Modal):
    """A choice that asks for text (an interview answer): the form's text follows the choice's action."""

    def __init__(self, title: str, prompt: str, action: str) -> None:
        super().__init__(title=clip(title, 45), timeout=None)
        self.action = action
        self.text: discord.ui.TextInput = discord.ui.TextInput(
            label=clip(prompt, 45), style=discord.TextStyle.paragraph, max_length=4000
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await dispatch_action(interaction, f"{self.action} {self.text.value}")


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button], template=rf"bp:c:{KEY}:(?P<index>[0-9]{{1,2}})"
):
    def __init__(self, key: str, index: int, choice: Choice | None = None, row: int | None = None) -> None:
        label = clip(choice.label, limits.BUTTON_LABEL) if choice else "?"
        style = STYLES[choice.style] if choice else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label, style=style, row=row, custom_id=f"bp:c:{key}:{index}")
        )
        self.key, self.index = key, index

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
    ) -> ChoiceButton:
        return cls(match["key"], int(match["index"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _pick(interaction, self.key, "choices", self.index)


class ChoiceSelect(discord.ui.DynamicItem[discord.ui.Select], template=rf"bp:s:{KEY}"):
    def __init__(
        self,
        key: str,
        choices: tuple[Choice, ...] = (),
        placeholder: str | None = None,
        row: int | None = None,
    ) -> None:
        options = [
            discord.SelectOption(
                label=clip(c.label, limits.SELECT_LABEL),
                value=str(i),
                description=clip(c.description, limits.SELECT_DESCRIPTION) if c.description else None,
            )
            for i, c in enumerate(choices[: limits.SELECT_OPTIONS])
        ] or [discord.SelectOption(label="?", value="0")]
        super().__init__(
            discord.ui.Select(
                custom_id=f"bp:s:{key}",
                options=options,
                placeholder=clip(placeholder or "…", limits.SELECT_PLACEHOLDER),
                row=row,
            )
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
    ) -> ChoiceSelect:
        return cls(match["key"])

    async def callback(self, interaction: discord.Interaction) -> None:
        values = (interaction.data or {}).get("values") or ["-1"]  # type: ignore[union-attr]
        index = int(values[0]) if str(values[0]).isdigit() else -1
        await _pick(interaction, self.key, "select", index)


class PageButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"bp:p:{KEY}:(?P<page>-?[0-9]{{1,3}})"):
    def __init__(self, key: str, page: int, forward: bool = True, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="▶" if forward else "◀",
                style=discord.ButtonStyle.secondary,
                row=0,
                disabled=disabled,
                custom_id=f"bp:p:{key}:{page}",
            )
        )
        self.key, self.page = key, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
    ) -> PageButton:
        return cls(match["key"], int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        found = await _recall(interaction, self.key)
        if found is None:
            return
        page = max(0, min(page_count(found.reply) - 1, self.page))
        view = ReplyView(found.reply, self.key, page)
        await interaction.response.edit_message(embed=build_embed(found.reply, page), view=view)


ITEMS = (ChoiceButton, ChoiceSelect, PageButton)


def register(bot: discord.Client) -> None:
    bot.add_dynamic_items(*ITEMS)


class ReplyView(discord.ui.View):
    """Everything clickable on one reply. Row 0: pages; rows 1-3: choices; row 4: the select menu."""

    def __init__(self, reply: Reply, key: str, page: int = 0) -> None:
        super().__init__(timeout=None)
        pages = page_count(reply)
        if pages > 1:
            self.add_item(PageButton(key, page - 1, forward=False, disabled=page == 0))
            self.add_item(PageButton(key, page + 1, forward=True, disabled=page >= pages - 1))
        for i, choice in enumerate(reply.choices[:15]):
            self.add_item(ChoiceButton(key, i, choice, row=1 + i // 5))
        if reply.select:
            self.add_item(ChoiceSelect(key, reply.select, reply.select_placeholder, row=4))

    @staticmethod
    def wanted(reply: Reply) -> bool:
        return page_count(reply) > 1 or bool(reply.choices) or bool(reply.select)
