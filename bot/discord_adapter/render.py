"""Reply -> what Discord accepts: an embed within every limit, files, and message content."""

from __future__ import annotations

import io
from dataclasses import dataclass

import discord

from bot.core.replies import Reply
from bot.discord_adapter import limits

COLOURS = {
    "info": discord.Colour.blurple(),
    "answer": discord.Colour.teal(),
    "suggestions": discord.Colour.gold(),
    "error": discord.Colour.red(),
    "success": discord.Colour.green(),
}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Rendered:
    embed: discord.Embed
    files: list[discord.File]


def page_count(reply: Reply) -> int:
    return max(1, len(reply.pages))


def build_embed(reply: Reply, page: int = 0) -> discord.Embed:
    """One embed for one page of the reply, trimmed to Discord's limits (6,000 characters in all)."""
    description = reply.text
    if reply.pages:
        body = reply.pages[min(page, len(reply.pages) - 1)]
        description = f"{reply.text}\n\n{body}" if reply.text and page == 0 else body
    embed = discord.Embed(
        title=clip(reply.title, limits.EMBED_TITLE) if reply.title else None,
        description=clip(description, limits.EMBED_DESCRIPTION) if description else None,
        colour=COLOURS.get(reply.tone, discord.Colour.blurple()),
    )
    budget = limits.EMBED_TOTAL - len(embed.title or "") - len(embed.description or "")
    footer = reply.footer or ""
    if len(reply.pages) > 1:
        footer = f"{footer} · {page + 1}/{len(reply.pages)}" if footer else f"{page + 1}/{len(reply.pages)}"
    footer = clip(footer, min(limits.EMBED_FOOTER, max(budget, 0)))
    budget -= len(footer)
    if page == 0:
        for field in reply.fields[: limits.EMBED_FIELDS]:
            name = clip(field.name, limits.EMBED_FIELD_NAME)
            value = clip(field.value, min(limits.EMBED_FIELD_VALUE, budget - len(name)))
            if budget - len(name) < 20:
                break
            embed.add_field(name=name, value=value, inline=field.inline)
            budget -= len(name) + len(value)
    if footer:
        embed.set_footer(text=footer)
    return embed


def build_files(reply: Reply) -> list[discord.File]:
    return [
        discord.File(io.BytesIO(a.data), filename=a.filename, description=a.description)
        for a in reply.attachments[: limits.ATTACHMENTS]
    ]
