"""Who is asking, where, and in which language: the transport-free request a feature receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    name: str
    guild_id: int | None = None
    is_admin: bool = False
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    """One command from a member: `/ask 显存爆了` is command `ask`, argument text `显存爆了`."""

    command: str
    text: str
    member: Member
    lang: Lang
    request_id: str | None = None  # e.g. the Discord interaction id: the idempotency key of jobs


def lang_from_locale(locale: str | None, default: Lang) -> Lang:
    if not locale:
        return default
    return "zh" if locale.lower().startswith("zh") else "en"
