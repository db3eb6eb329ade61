"""Plain reply objects: what a feature answers, before any transport renders it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal

Style = Literal["primary", "secondary", "success", "danger"]
Tone = Literal["info", "answer", "suggestions", "error", "success"]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Choice:
    """Something the member can pick: a button or a select option.

    `action` is a command line the core understands (e.g. `/topic autograd-basics`); adapters send it
    back through the same dispatcher when the member picks the choice.
    """

    label: str
    action: str
    style: Style = "secondary"
    description: str | None = None
    owner_only: bool = False  # only the member the reply was shown to may pick it (e.g. deleting data)
    # Picking it asks the member for text (on Discord a form with this label), sent after `action`.
    # Where the member can simply type (the console), adapters leave such a choice out.
    prompt: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    title: str | None = None
    text: str = ""
    fields: tuple[Field, ...] = ()
    pages: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    select: tuple[Choice, ...] = ()
    select_placeholder: str | None = None
    attachments: tuple[Attachment, ...] = ()
    footer: str | None = None
    tone: Tone = "info"
    ephemeral: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    # Long work (a demo run) answers at once and then streams newer versions of itself.
    updates: AsyncIterator[Reply] | None = field(default=None, compare=False, repr=False)

    @property
    def all_choices(self) -> tuple[Choice, ...]:
        return self.choices + self.select


def error(text: str, title: str | None = None) -> Reply:
    return Reply(title=title, text=text, tone="error", ephemeral=True)
