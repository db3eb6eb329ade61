"""Render a Reply as terminal text: colours when it is a terminal, choices as numbers to type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.context import Lang
from bot.core.i18n import t
from bot.core.replies import Choice, Reply

_BOLD_MD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True, slots=True)
class Palette:
    bold: str = ""
    dim: str = ""
    title: str = ""
    error: str = ""
    success: str = ""
    choice: str = ""
    reset: str = ""


PLAIN = Palette()
COLOUR = Palette(
    bold="\x1b[1m",
    dim="\x1b[2m",
    title="\x1b[1;36m",
    error="\x1b[1;31m",
    success="\x1b[32m",
    choice="\x1b[33m",
    reset="\x1b[0m",
)


def _markdown(text: str, p: Palette) -> str:
    return _BOLD_MD.sub(lambda m: f"{p.bold}{m.group(1)}{p.reset}", text)


def render(reply: Reply, palette: Palette = PLAIN, saved: list[str] | None = None, lang: Lang = "zh") -> str:
    """The reply as lines of text; `saved` names files the console wrote for attachments."""
    p = palette
    out: list[str] = []
    tone = {"error": p.error, "success": p.success}.get(reply.tone, p.title)
    if reply.title:
        out.append(f"{tone}{reply.title}{p.reset}")
    if reply.text:
        out.append(_markdown(reply.text, p) if reply.tone != "error" else f"{p.error}{reply.text}{p.reset}")
    for i, page in enumerate(reply.pages, 1):
        if len(reply.pages) > 1:
            out.append(f"{p.dim}── {i}/{len(reply.pages)} ──{p.reset}")
        elif reply.text:
            out.append("")
        out.append(_markdown(page, p))
    for field in reply.fields:
        out.append(f"{p.bold}{field.name}{p.reset}")
        out.append(_markdown(field.value, p))
    for name in saved or ():
        out.append(f"{p.dim}{t('console.file', lang)} {name}{p.reset}")
    if reply.footer:
        out.append(f"{p.dim}{reply.footer}{p.reset}")
    out.extend(render_choices(typed_choices(reply), p, lang))
    return "\n".join(out)


def typed_choices(reply: Reply) -> tuple[Choice, ...]:
    """The choices a number picks: those that ask for text are left out, the member types it instead."""
    return tuple(c for c in reply.all_choices if c.prompt is None)


def render_choices(choices: tuple[Choice, ...], p: Palette, lang: Lang = "zh") -> list[str]:
    if not choices:
        return []
    lines = [f"{p.dim}{t('console.choose', lang)}{p.reset}"]
    for i, choice in enumerate(choices, 1):
        extra = f" {p.dim}({choice.description}){p.reset}" if choice.description else ""
        lines.append(f"  {p.choice}{i}{p.reset}. {choice.label}{extra}")
    return lines


def render_status(reply: Reply, palette: Palette = PLAIN) -> str:
    """A job's status change as one line, without the header the console already printed."""
    return f"{palette.dim}{reply.text}{palette.reset}"
