"""Owner-only maintenance: command tree sync on demand, never on every start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from discord.ext import commands

from bot.discord_adapter.client import sync_commands

if TYPE_CHECKING:
    from bot.discord_adapter.client import BackpropBot


class OwnerCog(commands.Cog):
    def __init__(self, bot: BackpropBot) -> None:
        self.bot = bot

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, ctx: commands.Context, scope: Literal["guild", "global"] = "guild") -> None:
        count = await sync_commands(self.bot, scope)
        await ctx.send(f"Synced {count} commands ({scope}).")


async def setup(bot: BackpropBot) -> None:
    await bot.add_cog(OwnerCog(bot))
