"""The console loop: a REPL on a terminal, one command per line when stdin is a pipe or file."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from bot.console.render import COLOUR, PLAIN, Palette, render
from bot.core.context import Lang, Member
from bot.core.i18n import t
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
        # The choices of the reply printed last, and only those: any reply without choices clears
        # them, so a number can never act on an older menu (a stale "1" once deleted everything).
        self.last_choices: tuple[Choice, ...] = ()
        self.lang: Lang = tutor.settings.language

    def resolve(self, line: str) -> str | None:
        """A bare number picks from the last reply's choices (None: there is no such choice)."""
        stripped = line.strip()
        if stripped.isdigit():
            index = int(stripped) - 1
            if 0 <= index < len(self.last_choices):
                return self.last_choices[index].action
            return None
        return stripped

    async def handle(self, line: str) -> None:
        command = self.resolve(line)
        if command is None:
            number = line.strip()[:12]
            if self.last_choices:  # the menu stays: the member may type a number that exists
                self.write(t("console.no_choice", self.lang, number=number, count=len(self.last_choices)))
            else:
                self.write(t("console.no_menu", self.lang, number=number))
            return
        if not command:
            return
        self.last_choices = ()
        try:
            reply = await self.tutor.handle(command, CONSOLE_USER)
            self.lang, _chosen = await self.tutor.member_lang(CONSOLE_USER)
        except Exception:
            log.exception("command failed: %s", command[:80])
            reply = Reply(text=t("console.failed", self.lang), tone="error")
        self.show(reply)
        if reply.updates is not None:
            async for update in reply.updates:
                self.show(update)

    def show(self, reply: Reply) -> None:
        saved = self.save_attachments(reply)
        self.last_choices = reply.all_choices
        self.write(render(reply, self.palette, saved, self.lang))

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
            console.lang, _chosen = await tutor.member_lang(CONSOLE_USER)
            console.write(f"{palette.title}{t('console.banner', console.lang)}{palette.reset}")
            while (line := await _read_line("backprop> ")) is not None:
                if line.strip() in QUIT:
                    break
                await console.handle(line)
        else:
            while line := await asyncio.to_thread(stdin.readline):
                if line.strip() in QUIT:
                    break
                if line.strip():
                    await console.handle(line)
    finally:
        await tutor.close()
    return 0
