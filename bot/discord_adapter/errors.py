"""One error handler for chat and slash commands: a friendly line for the member, the trace in the log."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.context import Lang, Member, lang_from_locale
from bot.core.i18n import t

log = logging.getLogger(__name__)

# The i18n key of the friendly line for each kind of error; the first match wins.
FRIENDLY: dict[type[Exception], str] = {
    commands.MissingRequiredArgument: "errors.missing_argument",
    commands.BadLiteralArgument: "errors.bad_choice",
    commands.BadArgument: "errors.bad_argument",
    commands.NoPrivateMessage: "errors.server_only",
    commands.CheckFailure: "errors.no_permission",
    commands.CommandOnCooldown: "errors.cooldown",
    app_commands.NoPrivateMessage: "errors.server_only",
    app_commands.CheckFailure: "errors.no_permission",
}


def friendly_key(error: Exception) -> str | None:
    for kind, key in FRIENDLY.items():
        if isinstance(error, kind):
            return key
    return None


def friendly_message(error: Exception, lang: Lang = "en") -> str | None:
    if isinstance(error, commands.ChannelNotFound):  # `!daily set #daily …` typed, not a mention
        return t("daily.channel_text", lang, word=str(error.argument)[:40])
    key = friendly_key(error)
    return t(key, lang) if key is not None else None


async def _lang(bot: commands.Bot, user: discord.abc.User, locale: str | None) -> Lang:
    """The member's stored language, else their client's (or the server's) locale."""
    tutor = getattr(bot, "_tutor", None)
    if tutor is None:
        return lang_from_locale(locale, "zh")
    lang, _chosen = await tutor.member_lang(Member(user.id, user.name, locale=locale))
    return lang


def install_error_handlers(bot: commands.Bot) -> None:
    async def on_command_error(ctx: commands.Context, error: commands.CommandError) -> None:
        if isinstance(error, commands.CommandNotFound):
            return
        original = getattr(error, "original", error)
        lang = await _lang(bot, ctx.author, str(ctx.guild.preferred_locale) if ctx.guild else None)
        message = friendly_message(original, lang) or friendly_message(error, lang)
        if message is None:
            log.error("command %s failed", ctx.command, exc_info=original)
            message = t("errors.internal", lang)
        try:
            await ctx.send(message, ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.warning("could not report an error to the member")

    async def on_tree_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        lang = await _lang(bot, interaction.user, str(interaction.locale))
        message = friendly_message(original, lang) or friendly_message(error, lang)
        if message is None:
            log.error(
                "app command %s failed", interaction.command and interaction.command.name, exc_info=original
            )
            message = t("errors.internal", lang)
        send = (
            interaction.followup.send if interaction.response.is_done() else interaction.response.send_message
        )
        try:
            await send(message, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not report an error to the member")

    bot.add_listener(on_command_error, "on_command_error")
    bot.tree.on_error = on_tree_error
