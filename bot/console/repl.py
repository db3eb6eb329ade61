"""The console loop: a REPL on a terminal, one command per line when stdin is a pipe or file."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.console.render import COLOUR, PLAIN, Palette, render
from bot.core.context import Member
from bot.core.replies import Choice, Reply
from bot.core.tutor import Tutor
from bot.settings import Settings

log = logging.getLogger(__name__)

CONSOLE_USER = Member(user_id=1, name="console", guild_id=None, is_admin=True, locale=None)
QUIT = {"/quit", "/exit", "quit", "exit"}


class Console:
    def __init__(self, tutor: Tutor, out: TextIO, palette: Palette, files_dir: Path) -> None:
        self.tutor = tutor
        self.out = out
        self.palette = palette
        self.files_dir = files_dir
        self.last_choices: tuple[Choice, ...] = ()
        self.awaiting_code: str | None = (
            None  # `/challenge submit ID` sent without code: the next block is it
        )

    def resolve(self, line: str) -> str | None:
        """A bare number picks from the last reply's choices."""
        stripped = line.strip()
        if stripped.isdigit():
            index = int(stripped) - 1
            if 0 <= index < len(self.last_choices):
                return self.last_choices[index].action
            return None
        return stripped

    async def handle(self, line: str) -> None:
        awaiting, self.awaiting_code = self.awaiting_code, None
        if awaiting and line.lstrip().startswith("```"):
            line = f"{awaiting}\n{line.strip()}"
        command = self.resolve(line)
        if command is None:
            self.write(f"No choice {line.strip()}; there are {len(self.last_choices)}.")
            return
        if not command:
            return
        try:
            reply = await self.tutor.handle(command, CONSOLE_USER)
        except Exception:
            log.exception("command failed: %s", command[:80])
            reply = Reply(text="Something went wrong; the error is in the log.", tone="error")
        self.show(reply)
        if reply.updates is not None:
            async for update in reply.updates:
                self.show(update)

    def show(self, reply: Reply) -> None:
        self.awaiting_code = reply.meta.get("awaits_code") or self.awaiting_code
        saved = self.save_attachments(reply)
        self.last_choices = reply.all_choices or self.last_choices
        self.write(render(reply, self.palette, saved))

    def save_attachments(self, reply: Reply) -> list[str]:
        saved = []
        for attachment in reply.attachments:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / Path(attachment.filename).name
            path.write_bytes(attachment.data)
            saved.append(str(path))
        return saved

    def write(self, text: str) -> None:
        self.out.write(text + "\n\n")
        self.out.flush()


def _setup_history(path: Path) -> None:
    try:
        import readline
    except ImportError:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        readline.read_history_file(path)
    readline.set_history_length(1000)
    import atexit

    atexit.register(readline.write_history_file, path)


def open_fence(text: str) -> bool:
    """True while a ``` fence opened in `text` is still open: the command continues on the next line."""
    return text.count("```") % 2 == 1


async def read_command(read: Callable[[], Awaitable[str | None]]) -> str | None:
    """One command: a line, or several when a line opens a ``` fence (until the line that closes it)."""
    line = await read()
    if line is None:
        return None
    text = line.rstrip("\n")
    while open_fence(text):
        more = await read()
        if more is None:
            break
        text += "\n" + more.rstrip("\n")
    return text


async def _read_line(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    palette = COLOUR if stdout.isatty() and not os.environ.get("NO_COLOR") else PLAIN
    tutor = await Tutor.start(settings)
    console = Console(tutor, stdout, palette, settings.data_dir / "console-files")
    try:
        if interactive:
            _setup_history(settings.data_dir / "console_history")
            console.write(f"{palette.title}Backprop{palette.reset} — /help for commands, /quit to leave.")
            prompts = iter(["backprop> "])

            async def interactive_read() -> str | None:
                return await _read_line(next(prompts, "... "))

            while (line := await read_command(interactive_read)) is not None:
                prompts = iter(["backprop> "])
                if line.strip() in QUIT:
                    break
                await console.handle(line)
        else:

            async def piped_read() -> str | None:
                return (await asyncio.to_thread(stdin.readline)) or None

            while (line := await read_command(piped_read)) is not None:
                if line.strip() in QUIT:
                    break
                if line.strip():
                    await console.handle(line)
    finally:
        await tutor.close()
    return 0
