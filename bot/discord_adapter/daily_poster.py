"""The daily scheduler's transport on Discord: post, find an interrupted post, open its thread.

Finding an interrupted post (crashed between Discord creating the message and the database recording
it): before the send, `checkpoint` takes a snowflake for "now minus a minute" (a snowflake is a
timestamp, so this is a position in any channel's history). `find` reads the channel's history after
that position, oldest first, and looks for a message by the bot whose embed footer carries the post's
marker; the bot's message comes right after the checkpoint, so this is one request in practice.
Reading history is what real Discord offers for this: the `nonce` with `enforce_nonce`, which every
send also carries, only deduplicates within a few minutes, and a restart can take longer.

Channels are addressed by id through partial messageables and raw HTTP, so nothing depends on the
gateway's cache (a bot in thousands of servers may not have them all cached).
"""

from __future__ import annotations

import datetime as dt
import logging

import discord

from bot.core.daily.pacing import Pacer
from bot.core.daily.poster import Outgoing, PostRefused
from bot.discord_adapter.daily_buttons import answer_view
from bot.discord_adapter.render import build_embed

log = logging.getLogger(__name__)

FIND_LIMIT = 200  # messages read after the checkpoint before concluding the post is not there
CHECKPOINT_MARGIN = dt.timedelta(minutes=1)  # clock skew between this host and Discord
THREAD_ARCHIVE_MINUTES = 1440
THREAD_ALREADY_EXISTS = 160004
NO_MENTIONS = discord.AllowedMentions.none()


def refusal(exc: discord.HTTPException) -> PostRefused | None:
    """A refusal that retrying cannot fix, or None for a transient error (5xx, network)."""
    if isinstance(exc, discord.NotFound):
        return PostRefused("channel_deleted", str(exc))
    if isinstance(exc, discord.Forbidden):
        return PostRefused("missing_permission", str(exc))
    if 400 <= exc.status < 500 and exc.status != 429:
        return PostRefused("rejected", str(exc))
    return None


def _raise_refusal(exc: discord.HTTPException) -> None:
    refused = refusal(exc)
    if refused is not None:
        raise refused from exc


class DiscordPoster:
    def __init__(self, bot: discord.Client, pacer: Pacer) -> None:
        self.bot = bot
        self.pacer = pacer

    def _channel(self, out: Outgoing) -> discord.PartialMessageable:
        return self.bot.get_partial_messageable(out.channel_id, guild_id=out.guild_id)

    def checkpoint(self) -> str:
        return str(discord.utils.time_snowflake(discord.utils.utcnow() - CHECKPOINT_MARGIN))

    async def send(self, out: Outgoing) -> int:
        await self.pacer.wait()
        try:
            message = await self._channel(out).send(
                embed=build_embed(out.reply),
                view=answer_view(out.reply),
                nonce=out.nonce,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as exc:
            _raise_refusal(exc)
            raise
        return message.id

    async def find(self, out: Outgoing, after: str) -> int | None:
        await self.pacer.wait()
        me = self.bot.user.id if self.bot.user else None
        try:
            async for message in self._channel(out).history(
                limit=FIND_LIMIT, after=discord.Object(int(after)), oldest_first=True
            ):
                if message.author.id == me and any(
                    out.marker in (e.footer.text or "") for e in message.embeds
                ):
                    return message.id
        except discord.HTTPException as exc:
            _raise_refusal(exc)
            raise
        return None

    async def open_thread(self, out: Outgoing, message_id: int) -> int:
        await self.pacer.wait()
        try:
            data = await self.bot.http.start_thread_with_message(
                out.channel_id, message_id, name=out.thread_name, auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.HTTPException as exc:
            if exc.code == THREAD_ALREADY_EXISTS:  # a thread started from a message has the message's id
                return message_id
            _raise_refusal(exc)
            raise
        return int(data["id"])
