"""Sending Replies to Discord: first response, follow-ups, and throttled live edits for long jobs."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.core import shown
from bot.core.replies import Reply
from bot.core.study import clock
from bot.discord_adapter import limits
from bot.discord_adapter.render import build_embed, build_files
from bot.discord_adapter.views import ReplyView

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

log = logging.getLogger(__name__)

EDIT_EVERY_S = 1.5
NO_MENTIONS = discord.AllowedMentions.none()
TOKEN_MARGIN_S = 30


@dataclass
class Sent:
    """Where a reply went, so later versions of it can replace it."""

    message: discord.Message | discord.InteractionMessage | discord.WebhookMessage | None
    channel: discord.abc.Messageable | None
    token_expires: float | None  # monotonic time after which the interaction's webhook is dead
    tutor: Tutor
    owner_id: int  # the member the reply was shown to


async def _kwargs(reply: Reply, tutor: Tutor, owner_id: int) -> dict:
    """Embed, files and (for a reply with components) a persistent view, its reply stored first."""
    kwargs: dict = {"embed": build_embed(reply), "files": build_files(reply), "allowed_mentions": NO_MENTIONS}
    if ReplyView.wanted(reply):
        key = await tutor.db.run(shown.remember, owner_id, reply, clock.now())
        kwargs["view"] = ReplyView(reply, key)
    return kwargs


def _expiry(created_at: dt.datetime) -> float:
    age = (dt.datetime.now(dt.UTC) - created_at).total_seconds()
    return time.monotonic() + limits.INTERACTION_TOKEN_S - TOKEN_MARGIN_S - max(age, 0.0)


async def send_to_context(ctx: commands.Context, reply: Reply) -> Sent:
    """A chat command's answer (`!demo ...`): a message in the channel."""
    tutor = ctx.bot.tutor
    kwargs = await _kwargs(reply, tutor, ctx.author.id)
    message = await ctx.send(**kwargs)
    sent = Sent(message, ctx.channel, None, tutor, ctx.author.id)
    await follow_updates(reply, sent)
    return sent


async def send_to_interaction(interaction: discord.Interaction, reply: Reply) -> Sent:
    """A slash command, component click or modal submit: the response, or a follow-up after one."""
    tutor = interaction.client.tutor  # type: ignore[attr-defined]
    kwargs = await _kwargs(reply, tutor, interaction.user.id)
    kwargs["ephemeral"] = reply.ephemeral
    if not interaction.response.is_done():
        await interaction.response.send_message(**kwargs)
        message = await interaction.original_response()
    else:
        message = await interaction.followup.send(wait=True, **kwargs)
    sent = Sent(message, interaction.channel, _expiry(interaction.created_at), tutor, interaction.user.id)
    await follow_updates(reply, sent)
    return sent


async def follow_updates(reply: Reply, sent: Sent) -> None:
    """Replace the message with each newer version, at most every EDIT_EVERY_S; the last one always lands."""
    if reply.updates is None:
        return
    last_edit = 0.0
    pending: Reply | None = None
    async for update in reply.updates:
        pending = update
        if time.monotonic() - last_edit >= EDIT_EVERY_S:
            await _replace(sent, pending, final=False)
            last_edit, pending = time.monotonic(), None
    if pending is not None:
        await _replace(sent, pending, final=True)


async def _replace(sent: Sent, reply: Reply, final: bool) -> None:
    kwargs = await _kwargs(reply, sent.tutor, sent.owner_id)
    files = kwargs.pop("files")
    token_dead = sent.token_expires is not None and time.monotonic() > sent.token_expires
    if sent.message is not None and not token_dead:
        try:
            await sent.message.edit(attachments=files, **kwargs)
            return
        except discord.HTTPException as exc:
            log.warning("could not edit the reply (%s); posting a new message", exc)
    if final and sent.channel is not None:
        await sent.channel.send(files=files, **kwargs)
