"""`/challenge` on Discord: the hybrid group, `!submit ID` with a code block or a .py attachment, a modal.

Every path builds the same core command line (`/challenge submit ID` + a fenced block) and renders
the Reply the core returns; grading and storage live in bot/core/challenge.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.challenge.args import extract_code
from bot.core.challenge.command import loaded_bank
from bot.discord_adapter import limits
from bot.discord_adapter.cogs.tutor_cog import context_member
from bot.discord_adapter.respond import send_to_context
from bot.discord_adapter.views import dispatch_action

if TYPE_CHECKING:
    from bot.discord_adapter.client import BackpropBot

log = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 64 * 1024


def submit_line(challenge_id: str, code: str) -> str:
    return f"/challenge submit {challenge_id}\n```python\n{code.strip()}\n```"


class SubmitModal(discord.ui.Modal):
    code: discord.ui.TextInput = discord.ui.TextInput(
        label="Code",
        style=discord.TextStyle.paragraph,
        max_length=4000,
        placeholder="import torch\n\ndef solution(...):\n    ...",
    )

    def __init__(self, cog: ChallengeCog, challenge_id: str) -> None:
        super().__init__(title=f"Submit {challenge_id}"[:45], timeout=900)
        self.cog = cog
        self.challenge_id = challenge_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.cog.dispatch_interaction(interaction, submit_line(self.challenge_id, self.code.value))


class ChallengeCog(commands.Cog):
    def __init__(self, bot: BackpropBot) -> None:
        self.bot = bot

    @property
    def tutor(self):
        return self.bot.tutor

    async def reply_to(self, ctx: commands.Context, line: str) -> None:
        request_id = str(ctx.interaction.id if ctx.interaction is not None else ctx.message.id)
        reply = await self.tutor.handle(line, context_member(ctx), request_id=request_id)
        await send_to_context(ctx, reply)

    async def dispatch_interaction(self, interaction: discord.Interaction, action: str) -> None:
        await dispatch_action(interaction, action)

    async def challenge_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        needle = current.lower().strip()
        ids = sorted((await loaded_bank()).challenges)
        hits = [i for i in ids if needle in i] if needle else ids
        return [app_commands.Choice(name=i, value=i) for i in hits[: limits.AUTOCOMPLETE_CHOICES]]

    async def _attachment_code(self, attachment: discord.Attachment) -> str | None:
        """A .py attachment's text, or None when it is not one we take."""
        if not attachment.filename.lower().endswith(".py") or attachment.size > MAX_ATTACHMENT_BYTES:
            return None
        try:
            return (await attachment.read()).decode("utf-8")
        except (discord.HTTPException, UnicodeDecodeError):
            log.info("could not read attachment %s", attachment.filename)
            return None

    async def _submit(self, ctx: commands.Context, challenge_id: str, text: str, files: list) -> None:
        code = extract_code(text) if text.strip() else ""
        for attachment in files:
            found = await self._attachment_code(attachment)
            if found is not None:
                code = found
                break
        await self.reply_to(
            ctx, submit_line(challenge_id, code) if code.strip() else f"/challenge submit {challenge_id}"
        )

    # -- the group ---------------------------------------------------------------------------------

    @commands.hybrid_group(
        name="challenge", description="Coding challenges graded in the sandbox", fallback="list"
    )
    @app_commands.describe(filters="topic, category, level 1-3, pytorch or tensorflow; 'page 2' for more")
    async def challenge(self, ctx: commands.Context, *, filters: str = "") -> None:
        await self.reply_to(ctx, f"/challenge list {filters}")

    @challenge.command(name="start", description="Show a challenge: statement, signature, examples")
    async def start(self, ctx: commands.Context, challenge_id: str) -> None:
        await self.reply_to(ctx, f"/challenge start {challenge_id}")

    @challenge.command(name="submit", description="Submit code: a .py file, or a form to paste it into")
    @app_commands.describe(file="A .py file with your solution (leave empty to paste code)")
    async def submit(
        self, ctx: commands.Context, challenge_id: str, file: discord.Attachment | None = None
    ) -> None:
        if ctx.interaction is not None and file is None:
            await ctx.interaction.response.send_modal(SubmitModal(self, challenge_id))
            return
        text = ""
        if ctx.interaction is None:
            _, _, text = ctx.message.content.partition(challenge_id)
        files = (
            [file] if file is not None else list(ctx.message.attachments if ctx.interaction is None else [])
        )
        await self._submit(ctx, challenge_id, text, files)

    @challenge.command(name="hint", description="Reveal the next hint")
    async def hint(self, ctx: commands.Context, challenge_id: str) -> None:
        await self.reply_to(ctx, f"/challenge hint {challenge_id}")

    @challenge.command(name="giveup", description="Give up and see the reference solution")
    async def giveup(self, ctx: commands.Context, challenge_id: str) -> None:
        await self.reply_to(ctx, f"/challenge giveup {challenge_id}")

    @challenge.command(name="board", description="This server's challenge leaderboard")
    async def board(self, ctx: commands.Context) -> None:
        await self.reply_to(ctx, "/challenge board")

    @start.autocomplete("challenge_id")
    @submit.autocomplete("challenge_id")
    @hint.autocomplete("challenge_id")
    @giveup.autocomplete("challenge_id")
    async def _id_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self.challenge_autocomplete(interaction, current)

    # -- !submit ID ```code``` (or a .py attachment) ---------------------------------------------------

    @commands.command(
        name="submit", help="Submit a challenge solution: !submit ID then a code block or a .py file"
    )
    async def submit_chat(self, ctx: commands.Context, challenge_id: str = "", *, code: str = "") -> None:
        if not challenge_id:
            await self.reply_to(ctx, "/challenge submit")
            return
        await self._submit(ctx, challenge_id, code, list(ctx.message.attachments))


async def setup(bot: BackpropBot) -> None:
    await bot.add_cog(ChallengeCog(bot))
