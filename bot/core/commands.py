"""The command table: names, help text and handlers, shared by every transport."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.replies import Reply

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

Handler = Callable[["Tutor", Request], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    summary_zh: str
    summary_en: str
    handler: Handler
    hidden: bool = False  # internal actions behind buttons, not listed in /help
    admin: bool = False

    def summary(self, lang: Lang) -> str:
        return self.summary_zh if lang == "zh" else self.summary_en


class CommandTable:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def add(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command {command.name!r} registered twice")
        self._commands[command.name] = command

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def listed(self) -> list[Command]:
        return [c for c in self._commands.values() if not c.hidden]

    def __iter__(self):
        return iter(self._commands.values())
