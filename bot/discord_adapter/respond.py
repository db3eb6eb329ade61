"""Sending Replies to Discord: first response, follow-ups, and throttled live edits for long jobs."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass

import discord
from discord.ext import commands

from bot.core.replies import Reply
from bot.discord_adapter import limits
from bot.discord_adapter.render import build_embed, build_files
from bot.discord_adapter.views import ActionHandler, ReplyView

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


def _kwargs(reply: Reply, on_action: ActionHandler) -> tuple[dict, ReplyView | None]:
    view = ReplyView(reply, on_action) if ReplyView.wanted(reply) else None
    kwargs: dict = {"embed": build_embed(reply), "files": build_files(reply), "allowed_mentions": NO_MENTIONS}
    if view is not None:
        kwargs["view"] = view
    return kwargs, view


def _expiry(created_at: dt.datetime) -> float:
    age = (dt.datetime.now(dt.UTC) - created_at).total_seconds()
    return time.monotonic() + limits.INTERACTION_TOKEN_S - TOKEN_MARGIN_S - max(age, 0.0)


async def send_to_context(ctx: commands.Context, reply: Reply, on_action: ActionHandler) -> Sent:
    """A hybrid command's answer: the interaction response for /commands, a message for !commands."""
    kwargs, view = _kwargs(reply, on_action)
    if ctx.interaction is not None:
        kwargs["ephemeral"] = reply.ephemeral
    message = await ctx.send(**kwargs)
    if view is not None:
        view.message = message
    expires = _expiry(ctx.interaction.created_at) if ctx.interaction is not None else None
    sent = Sent(message, ctx.channel, expires)
    await follow_updates(reply, sent, on_action)
    return sent


async def send_to_interaction(
    interaction: discord.Interaction, reply: Reply, on_action: ActionHandler
) -> Sent:
    """A component click or modal submit: a new message answering it."""
    kwargs, view = _kwargs(reply, on_action)
    kwargs["ephemeral"] = reply.ephemeral
    if not interaction.response.is_done():
        await interaction.response.send_message(**kwargs)
        message = await interaction.original_response()
    else:
        message = await interaction.followup.send(wait=True, **kwargs)
    if view is not None:
        view.message = message
    sent = Sent(message, interaction.channel, _expiry(interaction.created_at))
    await follow_updates(reply, sent, on_action)
    return sent


async def follow_updates(reply: Reply, sent: Sent, on_action: ActionHandler) -> None:
    """Replace the message with each newer version, at most every EDIT_EVERY_S; the last one always lands."""
    if reply.updates is None:
        return
    last_edit = 0.0
    pending: Reply | None = None
    async for update in reply.updates:
        pending = update
        if time.monotonic() - last_edit >= EDIT_EVERY_S:
            await _replace(sent, pending, on_action, final=False)
            last_edit, pending = time.monotonic(), None
    if pending is not None:
        await _replace(sent, pending, on_action, final=True)


async def _replace(sent: Sent, reply: Reply, on_action: ActionHandler, final: bool) -> None:
    kwargs, view = _kwargs(reply, on_action)
    files = kwargs.pop("files")
    token_dead = sent.token_expires is not None and time.monotonic() > sent.token_expires
    if sent.message is not None and not token_dead:
        try:
            message = await sent.message.edit(attachments=files, **kwargs)
            if view is not None:
                view.message = message or sent.message
            return
        except discord.HTTPException as exc:
            log.warning("could not edit the reply (%s); posting a new message", exc)
    if final and sent.channel is not None:
        message = await sent.channel.send(files=files, **kwargs)
        if view is not None:
            view.message = message


async def wait_quietly(task: asyncio.Task) -> None:
    try:
        await task
    except Exception:
        log.exception("background reply failed")
