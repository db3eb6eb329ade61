"""One error handler for chat and slash commands: a friendly line for the member, the trace in the log."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.i18n import t

log = logging.getLogger(__name__)

FRIENDLY = {
    commands.MissingRequiredArgument: "Something is missing: try `/help` for how to use this command.",
    commands.BadArgument: "That argument doesn't look right: try `/help`.",
    commands.BadLiteralArgument: "That choice isn't one of the options: try `/help`.",
    commands.NoPrivateMessage: "This command only works on a server.",
    commands.CheckFailure: "You don't have permission to do that.",
    commands.CommandOnCooldown: "Slow down a little and try again in a moment.",
    app_commands.CheckFailure: "You don't have permission to do that.",
}


def friendly_message(error: Exception) -> str | None:
    if isinstance(error, commands.ChannelNotFound):  # `!daily set #daily …` typed, not a mention
        return t("daily.channel_text", "en", word=str(error.argument)[:40])
    for kind, message in FRIENDLY.items():
        if isinstance(error, kind):
            return message
    return None


def install_error_handlers(bot: commands.Bot) -> None:
    async def on_command_error(ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound):
            return
        original = getattr(error, "original", error)
        message = friendly_message(original) or friendly_message(error)
        if message is None:
            log.error("command %s failed", ctx.command, exc_info=original)
            message = "Something went wrong on our side; it has been logged."
        try:
            await ctx.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("could not report an error to the member")

    async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        message = friendly_message(original) or friendly_message(error)
        if message is None:
            log.error(
                "app command %s failed", interaction.command and interaction.command.name, exc_info=original
            )
            message = "Something went wrong on our side; it has been logged."
        send = (
            interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
        )
        try:
            await send(message, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not report an error to the member")

    bot.add_listener(on_command_error, "on_command_error")
    bot.tree.on_error = on_tree_error
