"""Who is asking, where, and in which language: the transport-free request a feature receives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    args: Mapping[str, object] = field(default_factory=dict)  # typed values by parameter name
    lang_chosen: bool = False  # `lang` is the member's stored preference, not a guess

    def arg(self, name: str) -> object:
        return self.args.get(name)


def lang_from_locale(locale: str | None, default: Lang) -> Lang:
    if not locale:
        return default
    return "zh" if locale.lower().startswith("zh") else "en"
