"""The daily question on Discord: runs the core scheduler with a Discord poster, and routes answer clicks.

The `/daily` commands themselves live with the others in tutor_cog.py. The scheduler's clock and
options come from the bot's `daily_clock` and `daily_options` attributes when set (tests set a manual
clock and compressed rate limits), else the system clock and the defaults.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.core.daily.clock import Clock, SystemClock
from bot.core.daily.pacing import Pacer
from bot.core.daily.scheduler import DailyOptions, DailyScheduler
from bot.discord_adapter.daily_buttons import DailyAnswerButton
from bot.discord_adapter.daily_poster import DiscordPoster

if TYPE_CHECKING:
    from bot.discord_adapter.client import BackpropBot

log = logging.getLogger(__name__)


class DailyCog(commands.Cog):
    def __init__(self, bot: BackpropBot, clock: Clock, options: DailyOptions) -> None:
        self.bot = bot
        self.poster = DiscordPoster(bot, Pacer(options.requests_per_s))
        self.scheduler = DailyScheduler(bot.tutor, self.poster, clock, options)
        self._task: asyncio.Task | None = None

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DailyAnswerButton)
        self._task = asyncio.create_task(self._run(), name="daily-scheduler")

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DailyAnswerButton)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        log.info(
            "daily: scheduler running (every %.0f s, grace %s)",
            self.scheduler.options.poll_s,
            self.scheduler.options.grace,
        )
        await self.scheduler.run()


async def setup(bot: BackpropBot) -> None:
    clock: Clock = getattr(bot, "daily_clock", None) or SystemClock()
    options: DailyOptions = getattr(bot, "daily_options", None) or DailyOptions()
    await bot.add_cog(DailyCog(bot, clock, options))
