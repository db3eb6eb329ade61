"""The Discord bot: discord.py with hybrid commands over the transport-free tutor."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot import health
from bot.core.tutor import Tutor
from bot.discord_adapter import views
from bot.discord_adapter.errors import install_error_handlers
from bot.discord_adapter.slash import CatalogTranslator
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.discord_adapter.cogs.tutor_cog",
    "bot.discord_adapter.cogs.owner",
    "bot.discord_adapter.cogs.daily_cog",
    "bot.discord_adapter.cogs.challenge_cog",
)


def intents() -> discord.Intents:
    """Only what the features use: guilds, guild messages, and message content for !commands."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.guild_messages = True
    wanted.message_content = True
    return wanted


class BackpropBot(commands.Bot):
    def __init__(self, settings: Settings, *, sync_on_start: str | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned_or(settings.command_prefix),
            intents=intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            owner_ids=set(settings.owner_ids) or None,
        )
        self.settings = settings
        self.sync_on_start = sync_on_start  # "guild", "global" or None: never sync on an ordinary start
        self._tutor: Tutor | None = None

    @property
    def tutor(self) -> Tutor:
        assert self._tutor is not None, "the tutor starts in setup_hook"
        return self._tutor

    async def setup_hook(self) -> None:
        self._tutor = await Tutor.start(self.settings)
        await self.tree.set_translator(CatalogTranslator())
        views.register(self)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        install_error_handlers(self)
        if self.sync_on_start:
            synced = await sync_commands(self, self.sync_on_start)
            log.info("synced %d application commands (%s)", synced, self.sync_on_start)

    async def on_ready(self) -> None:
        log.info("connected as %s to %d servers", self.user, len(self.guilds))
        if not self.heartbeat.is_running():
            self.heartbeat.start()

    @tasks.loop(seconds=30)
    async def heartbeat(self) -> None:
        """Touch the health file while connected (the container's health check reads it)."""
        if self.is_ready() and not self.is_closed():
            await asyncio.to_thread(health.beat, self.settings.data_dir)

    async def close(self) -> None:
        self.heartbeat.cancel()
        for extension in tuple(
            self.extensions
        ):  # background work (the daily scheduler) ends before the database
            with contextlib.suppress(Exception):
                await self.unload_extension(extension)
        if self._tutor is not None:
            await self._tutor.close()
        await super().close()


async def sync_commands(bot: commands.Bot, scope: str) -> int:
    """Guild-scoped in development (BACKPROP_DEV_GUILD_ID), global in production."""
    settings: Settings = bot.settings  # type: ignore[attr-defined]
    if scope == "guild":
        if settings.dev_guild_id is None:
            raise ValueError("guild sync needs BACKPROP_DEV_GUILD_ID")
        guild = discord.Object(id=settings.dev_guild_id)
        bot.tree.copy_global_to(guild=guild)
        commands_synced: list[app_commands.AppCommand] = await bot.tree.sync(guild=guild)
    else:
        commands_synced = await bot.tree.sync()
    return len(commands_synced)
