"""The tutor's commands on Discord, generated from the core registry (see `bot/discord_adapter/slash.py`).

Slash commands hand their typed values to `Tutor.run`; chat commands (`!demo name`) hand their text
to `Tutor.handle`, which parses it against the same registry. Only `/run` is written by hand: on
Discord it opens a code editor (a modal) instead of taking a one-line option.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.context import Lang, Member
from bot.core.i18n import t
from bot.core.tutor import Tutor
from bot.discord_adapter import slash
from bot.discord_adapter.respond import send_to_context, send_to_interaction
from bot.discord_adapter.views import dispatch_action, member_for

if TYPE_CHECKING:
    from bot.discord_adapter.client import BackpropBot

log = logging.getLogger(__name__)


def context_member(ctx: commands.Context) -> Member:
    """A command's author: a hybrid command used as a slash command is its interaction's member (their
    client's locale); a chat command's author gets Manage Server computed from their roles here."""
    if ctx.interaction is not None:
        return member_for(ctx.interaction)
    user = ctx.author
    is_admin = isinstance(user, discord.Member) and user.guild_permissions.manage_guild
    return Member(
        user_id=user.id,
        name=getattr(user, "display_name", user.name),
        guild_id=ctx.guild.id if ctx.guild else None,
        is_admin=is_admin,
        locale=str(ctx.guild.preferred_locale) if ctx.guild else None,
    )


class RunModal(discord.ui.Modal):
    """A code editor for `/run`, labelled in the member's language."""

    def __init__(self, lang: Lang) -> None:
        super().__init__(title=t("run.modal_title", lang), timeout=600)
        self.code: discord.ui.TextInput = discord.ui.TextInput(
            label=t("run.modal_label", lang),
            custom_id="run-code",
            style=discord.TextStyle.paragraph,
            max_length=4000,
            placeholder="import torch\nprint(torch.ones(2))",
        )
        self.add_item(self.code)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await dispatch_action(interaction, f"/run {self.code.value}")


class TutorCog(commands.Cog):
    def __init__(self, bot: BackpropBot) -> None:
        self.bot = bot
        self._app_commands: list[app_commands.Command | app_commands.Group] = []
        self._chat_commands: list[commands.Command] = []

    @property
    def tutor(self) -> Tutor:
        return self.bot.tutor

    async def cog_load(self) -> None:
        registry = self.tutor.commands
        self._app_commands = slash.build_app_commands(registry, self.run_slash, lambda: self.bot.tutor)
        self._app_commands.append(self._run_command())
        for command in self._app_commands:
            self.bot.tree.add_command(command)
        self._chat_commands = slash.build_chat_commands(registry, self.run_chat)
        for chat in self._chat_commands:
            self.bot.add_command(chat)

    async def cog_unload(self) -> None:
        for command in self._app_commands:
            self.bot.tree.remove_command(command.name)
        for chat in self._chat_commands:
            self.bot.remove_command(chat.name)

    async def run_slash(
        self, interaction: discord.Interaction, path: tuple[str, ...], values: dict[str, object]
    ) -> None:
        reply = await self.tutor.run(path, values, member_for(interaction), request_id=str(interaction.id))
        await send_to_interaction(interaction, reply)

    async def run_chat(self, ctx: commands.Context, line: str) -> None:
        reply = await self.tutor.handle(line, context_member(ctx), request_id=str(ctx.message.id))
        await send_to_context(ctx, reply)

    def _run_command(self) -> app_commands.Command:
        async def run(interaction: discord.Interaction) -> None:
            lang, _chosen = await self.tutor.member_lang(member_for(interaction))
            await interaction.response.send_modal(RunModal(lang))

        return app_commands.Command(name="run", description=slash.described("command.run"), callback=run)


async def setup(bot: BackpropBot) -> None:
    await bot.add_cog(TutorCog(bot))
