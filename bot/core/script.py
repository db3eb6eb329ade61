"""Answer in the script the member wrote: a question in Traditional characters gets a Traditional reply.

The bank and the interface strings are Simplified; OpenCC (`opencc-python-reimplemented`, already a
dependency of the search) converts a finished Reply. Only Han characters change, so code, ids and
English text pass through untouched.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import opencc

from bot.core.replies import Choice, Field, Reply
from content.search.script import has_traditional

__all__ = ["TRADITIONAL", "has_traditional", "to_traditional"]

# The language word a topic button carries (`/topic ID zh-hant`) to keep answering in Traditional.
TRADITIONAL = "zh-hant"


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _convert(text: str | None) -> str | None:
    return _converter().convert(text) if text else text


def _choice(choice: Choice) -> Choice:
    action = choice.action
    if action.startswith(("/topic ", "/code ", "/related ")) and action.endswith(" zh"):
        action = action.removesuffix(" zh") + f" {TRADITIONAL}"
    return dataclasses.replace(choice, label=_convert(choice.label) or choice.label, action=action)


def to_traditional(reply: Reply) -> Reply:
    return dataclasses.replace(
        reply,
        title=_convert(reply.title),
        text=_convert(reply.text) or "",
        fields=tuple(Field(_convert(f.name) or "", _convert(f.value) or "", f.inline) for f in reply.fields),
        pages=tuple(_convert(p) or "" for p in reply.pages),
        choices=tuple(_choice(c) for c in reply.choices),
        select=tuple(_choice(c) for c in reply.select),
        select_placeholder=_convert(reply.select_placeholder),
        footer=_convert(reply.footer),
    )
