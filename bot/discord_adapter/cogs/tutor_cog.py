"""The tutor's commands on Discord: each one builds a core request and renders the Reply it gets back."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.context import Member
from bot.core.daily.set_args import zone_suggestions
from bot.core.replies import Reply
from bot.discord_adapter import limits
from bot.discord_adapter.render import clip
from bot.discord_adapter.respond import send_to_context, send_to_interaction

if TYPE_CHECKING:
    from bot.discord_adapter.client import BackpropBot

log = logging.getLogger(__name__)


def member_of(
    user: discord.abc.User, guild: discord.Guild | None, locale: str | None, is_admin: bool | None = None
) -> Member:
    """Manage Server is what makes an admin; Discord computes it for interactions, we do for messages."""
    if is_admin is None:
        is_admin = isinstance(user, discord.Member) and user.guild_permissions.manage_guild
    return Member(
        user_id=user.id,
        name=getattr(user, "display_name", user.name),
        guild_id=guild.id if guild else None,
        is_admin=is_admin,
        locale=locale,
    )


def context_member(ctx: commands.Context) -> Member:
    if ctx.interaction is not None:
        return member_of(
            ctx.author,
            ctx.guild,
            str(ctx.interaction.locale),
            is_admin=ctx.guild is not None and ctx.interaction.permissions.manage_guild,
        )
    locale = str(ctx.guild.preferred_locale) if ctx.guild else None
    return member_of(ctx.author, ctx.guild, locale)


class RunModal(discord.ui.Modal):
    code: discord.ui.TextInput = discord.ui.TextInput(
        label="Code",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        placeholder="import torch\nprint(torch.ones(2))",
    )

    def __init__(self, cog: TutorCog) -> None:
        super().__init__(title="Run a snippet", timeout=600)
        self.cog = cog

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.dispatch_interaction(interaction, f"/run {self.code.value}")


class TutorCog(commands.Cog):
    def __init__(self, bot: BackpropBot) -> None:
        self.bot = bot

    @property
    def tutor(self):
        return self.bot.tutor

    # -- plumbing -------------------------------------------------------------------------------

    async def reply_to(self, ctx: commands.Context, line: str) -> None:
        reply = await self.tutor.handle(line, context_member(ctx), request_id=self._request_id(ctx))
        await send_to_context(ctx, reply, self.dispatch_interaction)

    @staticmethod
    def _request_id(ctx: commands.Context) -> str:
        return str(ctx.interaction.id if ctx.interaction is not None else ctx.message.id)

    async def dispatch_interaction(self, interaction: discord.Interaction, action: str) -> None:
        """A button, select or modal: run its action for the member who clicked."""
        member = member_of(
            interaction.user,
            interaction.guild,
            str(interaction.locale),
            is_admin=interaction.guild is not None and interaction.permissions.manage_guild,
        )
        reply: Reply = await self.tutor.handle(action, member, request_id=str(interaction.id))
        await send_to_interaction(interaction, reply, self.dispatch_interaction)

    # -- autocomplete ---------------------------------------------------------------------------

    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        lang = "zh" if str(interaction.locale).startswith("zh") else "en"
        suggestions = self.tutor.library.index.suggest(
            current[:200], limit=limits.AUTOCOMPLETE_CHOICES, lang=lang
        )
        # The value is the topic id: /ask answers an exact id with that topic.
        return [
            app_commands.Choice(name=clip(s.name, limits.AUTOCOMPLETE_NAME), value=s.value[:100])
            for s in suggestions[: limits.AUTOCOMPLETE_CHOICES]
        ]

    async def demo_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.lower().strip()
        names = sorted(self.tutor.library.bank.demos)
        hits = [n for n in names if needle in n] if needle else names
        return [app_commands.Choice(name=n, value=n) for n in hits[: limits.AUTOCOMPLETE_CHOICES]]

    # -- commands -------------------------------------------------------------------------------

    @commands.hybrid_command(name="ask", description="Ask a PyTorch / TensorFlow interview question")
    @app_commands.describe(query="Your question, in Chinese or English")
    async def ask(self, ctx: commands.Context, *, query: str) -> None:
        await self.reply_to(ctx, f"/ask {query}")

    @ask.autocomplete("query")
    async def _ask_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.topic_autocomplete(interaction, current)

    @commands.hybrid_command(name="topics", description="Browse topics by category")
    async def topics(self, ctx: commands.Context, category: str | None = None) -> None:
        await self.reply_to(ctx, f"/topics {category or ''}")

    @commands.hybrid_command(name="demo", description="Run a curated PyTorch/TensorFlow demo")
    @app_commands.describe(name="The demo's name")
    async def demo(self, ctx: commands.Context, name: str | None = None) -> None:
        await self.reply_to(ctx, f"/demo {name or ''}")

    @demo.autocomplete("name")
    async def _demo_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.demo_autocomplete(interaction, current)

    @commands.command(name="run", help="Run a code block (where the server allows it)")
    async def run_chat(self, ctx: commands.Context, *, code: str = "") -> None:
        await self.reply_to(ctx, f"/run {code}")

    @app_commands.command(name="run", description="Run your own snippet (where the server allows it)")
    async def run_slash(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(RunModal(self))

    @commands.hybrid_command(name="help", description="List Backprop's commands")
    async def help_command(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/help")

    @commands.hybrid_group(name="settings", description="Backprop settings", fallback="show")
    async def settings(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/settings")

    @settings.command(name="language", description="Your reply language")
    async def settings_language(self, ctx: commands.Context, language: Literal["zh", "en"]) -> None:
        await self.reply_to(ctx, f"/settings language {language}")

    @settings.command(
        name="timezone", description="Your time zone for streaks and reviews (e.g. Asia/Shanghai)"
    )
    async def settings_timezone(self, ctx: commands.Context, timezone: str | None = None) -> None:
        await self.reply_to(ctx, f"/settings timezone {timezone or ''}")

    @settings.command(name="run-code", description="Allow members to run their own snippets (Manage Server)")
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    async def settings_run_code(self, ctx: commands.Context, state: Literal["on", "off"]) -> None:
        # The core checks Manage Server again: default_permissions is only a client-side hint.
        await self.reply_to(ctx, f"/settings run-code {state}")

    # -- the study loop ---------------------------------------------------------------------------

    async def category_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.lower().strip()
        names = [c for c in self.tutor.library.categories if needle in c]
        return [app_commands.Choice(name=c, value=c) for c in names[: limits.AUTOCOMPLETE_CHOICES]]

    @commands.hybrid_command(name="quiz", description="A multiple-choice question")
    @app_commands.describe(
        category="Only this category",
        level="1 (basics) to 3 (advanced)",
        framework="Only topics about this framework",
    )
    async def quiz(
        self,
        ctx: commands.Context,
        category: str | None = None,
        level: app_commands.Range[int, 1, 3] | None = None,
        framework: Literal["pytorch", "tensorflow"] | None = None,
    ) -> None:
        words = [w for w in (category, str(level) if level else None, framework) if w]
        await self.reply_to(ctx, " ".join(["/quiz", *words]))

    @quiz.autocomplete("category")
    async def _quiz_category_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.category_autocomplete(interaction, current)

    @commands.hybrid_command(name="review", description="Review your due flashcards")
    async def review(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/review")

    @commands.hybrid_command(
        name="progress", description="Progress, streak and mastery (yours or a member's)"
    )
    @app_commands.describe(member="Whose progress (default: yours)")
    async def progress(self, ctx: commands.Context, member: discord.User | None = None) -> None:
        await self.reply_to(ctx, f"/progress {member.id}" if member is not None else "/progress")

    @commands.hybrid_command(name="leaderboard", description="This server's leaderboard")
    @app_commands.describe(period="This week (UTC) or all time")
    async def leaderboard(self, ctx: commands.Context, period: Literal["week", "all"] = "week") -> None:
        await self.reply_to(ctx, f"/leaderboard {period}")

    # Slash only: the answers are ephemeral, which a chat command in a channel could not be.
    @app_commands.command(
        name="export-my-data", description="A JSON file of everything Backprop stores about you"
    )
    async def export_my_data(self, interaction: discord.Interaction) -> None:
        await self.dispatch_interaction(interaction, "/export-my-data")

    @app_commands.command(
        name="forget-me", description="Delete everything Backprop stores about you (asks first)"
    )
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await self.dispatch_interaction(interaction, "/forget-me")

    # -- the daily question (the scheduler and the answer buttons are in daily_cog.py) ---------------

    @commands.hybrid_group(name="daily", description="The daily question", fallback="status")
    async def daily(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/daily status")

    @daily.command(
        name="set", description="Post a daily question in a channel at a local time (Manage Server)"
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        channel="Where to post",
        time="Local time, 24-hour HH:MM",
        timezone="IANA time zone",
        category="Only this category",
        level="1 (basics) to 3 (advanced)",
    )
    @commands.guild_only()
    async def daily_set(
        self,
        ctx: commands.Context,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        category: str | None = None,
        level: app_commands.Range[int, 1, 3] | None = None,
    ) -> None:
        # The core checks Manage Server again: default_permissions is only a client-side hint.
        words = [f"<#{channel.id}>", time, timezone, category, str(level) if level else None]
        await self.reply_to(ctx, " ".join(["/daily set", *(w for w in words if w)]))

    @daily_set.autocomplete("timezone")
    async def _daily_zone_autocomplete(self, interaction: discord.Interaction, current: str):
        names = zone_suggestions(current, limits.AUTOCOMPLETE_CHOICES)
        return [app_commands.Choice(name=n, value=n) for n in names]

    @daily_set.autocomplete("category")
    async def _daily_category_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.category_autocomplete(interaction, current)

    @daily.command(name="off", description="Stop the daily question (Manage Server)")
    @app_commands.default_permissions(manage_guild=True)
    @commands.guild_only()
    async def daily_off(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/daily off")

    @daily.command(name="preview", description="The next daily question")
    async def daily_preview(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/daily preview")


async def setup(bot: BackpropBot) -> None:
    await bot.add_cog(TutorCog(bot))
