"""The console loop: a REPL on a terminal, one command per line when stdin is a pipe or file.

Input is read on demand by one daemon thread, so quitting never waits for a blocked read. A line
that opens a ``` fence continues over the following lines until the fence closes (snippets for
`/run`). Ctrl-C cancels the running job; a second Ctrl-C, or one while no job runs, quits
cleanly, as does Ctrl-D or the end of piped input.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import signal
import sys
import threading
from pathlib import Path
from typing import TextIO

from bot.console.bare import answer_letter, command_hint
from bot.console.files import files_dir, forget_console_files, history_path
from bot.console.render import COLOUR, PLAIN, Palette, render, render_status, typed_choices
from bot.core import members
from bot.core.context import Lang, Member
from bot.core.i18n import t
from bot.core.replies import Choice, Reply
from bot.core.tutor import Tutor
from bot.settings import Settings

log = logging.getLogger(__name__)

CONSOLE_USER = Member(user_id=1, name="console", guild_id=None, is_admin=True, locale=None)
QUIT = {"/quit", "/exit", "quit", "exit"}
PROMPT = "backprop> "
MORE = "...> "
FENCE = "```"
CANCEL_WAIT_S = 60.0


def opens_fence(text: str) -> bool:
    """True while `text` has a ``` fence that is not closed yet."""
    return text.count(FENCE) % 2 == 1


class LineReader:
    """Reads one line when asked, in a daemon thread: `input()` on a terminal, `readline` otherwise."""

    def __init__(self, stdin: TextIO, interactive: bool) -> None:
        self.stdin = stdin
        self.interactive = interactive
        self._requests: queue.SimpleQueue[tuple[str, asyncio.Future, asyncio.AbstractEventLoop]] = (
            queue.SimpleQueue()
        )
        threading.Thread(target=self._serve, name="console-input", daemon=True).start()

    async def read(self, prompt: str) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self._requests.put((prompt, future, loop))
        return await future

    def _serve(self) -> None:
        while True:
            prompt, future, loop = self._requests.get()
            try:
                line = self._read_one(prompt)
            except Exception:  # a closed or broken stdin ends the input like EOF
                line = None
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, line)

    def _read_one(self, prompt: str) -> str | None:
        if self.interactive and self.stdin is sys.stdin:
            try:
                return input(prompt)
            except EOFError:
                return None
        line = self.stdin.readline()
        return line.rstrip("\r\n") if line else None


def _settle(future: asyncio.Future, value: str | None) -> None:
    if not future.done():
        future.set_result(value)


async def read_command(reader: LineReader) -> str | None:
    """One command: a line, or the lines of a ``` block up to its closing fence (None at the end)."""
    line = await reader.read(PROMPT)
    if line is None or not opens_fence(line):
        return line
    lines = [line]
    while opens_fence("\n".join(lines)):
        more = await reader.read(MORE)
        if more is None:
            break
        lines.append(more)
    return "\n".join(lines)


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
        self.interactive_out = out.isatty()
        self.job_id: str | None = None
        self.cancelling = False
        self._status_lines = 0
        self.closing = False
        self.awaiting_code: str | None = (
            None  # `/challenge submit ID` sent without code: the next block is it
        )

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
        awaiting, self.awaiting_code = self.awaiting_code, None
        if awaiting and line.lstrip().startswith("```"):
            line = f"{awaiting}\n{line.strip()}"
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
        if (answer := answer_letter(command, self.last_choices)) is not None:
            command = answer
        elif (hint := command_hint(command, self.tutor.commands, self.lang)) is not None:
            self.show(hint)
            return
        self.last_choices = ()
        try:
            reply = await self.tutor.handle(command, CONSOLE_USER)
        except Exception:
            log.exception("command failed: %s", command[:80])
            reply = Reply(text=t("console.failed", self.lang), tone="error")
        if reply.updates is None:
            self.show(reply)
            if reply.meta.get("forgotten") == str(CONSOLE_USER.user_id):
                self.forget_files()  # in the language the member was using
            await self.refresh_lang()
            return
        await self.refresh_lang()
        try:
            await self.follow(reply)
        except Exception:
            log.exception("following the job failed")
            self.job_id = None

    async def follow(self, reply: Reply) -> None:
        """A job: its header once, then each status change (in place on a terminal), then the result."""
        self.job_id = reply.meta.get("job")
        self.cancelling = False
        self._status_lines = 0
        self.write(render(reply, self.palette), gap=False)
        if self.job_id:
            self.write(
                f"{self.palette.dim}{t('console.cancel_hint', self.lang)}{self.palette.reset}", gap=False
            )
        assert reply.updates is not None
        async for update in reply.updates:  # on quit (cancelled) job_id stays set: it is stopped then
            if update.meta.get("status") == "1":
                self.show_status(update)
            else:
                self.out.write("\n")
                self.show(update)
        self.job_id = None

    def show_status(self, update: Reply) -> None:
        line = render_status(update, self.palette)
        if self.interactive_out and self._status_lines:
            self.out.write("\x1b[1A\r\x1b[2K")  # replace the previous status line
        self.write(line, gap=False)
        self._status_lines = 1

    def forget_files(self) -> None:
        """After /forget-me: the exports, attachments and input history the console kept on disk."""
        deleted = forget_console_files(self.files_dir.parent)
        if deleted:
            self.write(t("console.files_deleted", self.lang, files=", ".join(deleted)))

    def interrupt(self, main: asyncio.Task) -> None:
        """Ctrl-C: cancel the running job; a second one (or one with no job running) quits."""
        if self.closing:
            return
        if self.job_id is not None and not self.cancelling and self.tutor.runner is not None:
            self.cancelling = True
            self.write(f"\n{t('console.cancelling', self.lang)}", gap=False)
            self._status_lines = 0  # the next status line goes below this one
            job = asyncio.ensure_future(self.tutor.runner.cancel(self.job_id))
            job.add_done_callback(_log_failure)
            return
        main.cancel()

    async def refresh_lang(self) -> None:
        stored = await self.tutor.db.run(members.get_language, CONSOLE_USER.user_id)
        self.lang = stored or self.tutor.settings.language

    def show(self, reply: Reply) -> None:
        self.awaiting_code = reply.meta.get("awaits_code") or self.awaiting_code
        saved = self.save_attachments(reply)
        self.last_choices = typed_choices(reply)
        self.write(render(reply, self.palette, saved, self.lang))

    def save_attachments(self, reply: Reply) -> list[str]:
        saved = []
        for attachment in reply.attachments:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            path = self.files_dir / Path(attachment.filename).name
            path.write_bytes(attachment.data)
            saved.append(str(path))
        return saved

    def write(self, text: str, gap: bool = True) -> None:
        self.out.write(text + ("\n\n" if gap else "\n"))
        self.out.flush()


def _log_failure(task: asyncio.Future) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("could not cancel the job: %s", task.exception())


def _setup_history(path: Path) -> None:
    try:
        import readline
    except ImportError:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with contextlib.suppress(OSError):
            readline.read_history_file(path)
    readline.set_history_length(1000)
    import atexit

    atexit.register(_write_history, readline, path)


def _write_history(readline, path: Path) -> None:
    # /forget-me deletes the file and the lines in memory; write only while there is something left.
    if readline.get_current_history_length():
        with contextlib.suppress(OSError):
            readline.write_history_file(path)


async def _loop(console: Console, reader: LineReader) -> None:
    while (line := await read_command(reader)) is not None:
        if line.strip() in QUIT:
            break
        if line.strip():
            await console.handle(line)


async def _stop_job(tutor: Tutor, job_id: str | None) -> None:
    """Quitting while a job runs: cancel it and wait until the worker has stopped it."""
    if job_id is None or tutor.runner is None:
        return
    with contextlib.suppress(Exception):
        await tutor.runner.cancel(job_id)
        await tutor.runner.client.result(job_id, timeout=CANCEL_WAIT_S)


async def run_console(settings: Settings, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty()
    palette = COLOUR if stdout.isatty() and not os.environ.get("NO_COLOR") else PLAIN
    tutor = await Tutor.start(settings, lazy_worker=True)
    console = Console(tutor, stdout, palette, files_dir(settings.data_dir))
    await console.refresh_lang()
    reader = LineReader(stdin, interactive)
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    handled_sigint = True
    try:
        loop.add_signal_handler(signal.SIGINT, console.interrupt, main)
    except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests)
        handled_sigint = False
    try:
        if interactive:
            _setup_history(history_path(settings.data_dir))
            console.write(f"{palette.title}{t('console.banner', console.lang)}{palette.reset}")
        try:
            await _loop(console, reader)
        except asyncio.CancelledError:  # Ctrl-C: quit
            main.uncancel()
    finally:
        console.closing = True  # from here on Ctrl-C waits for the clean stop below
        await _stop_job(tutor, console.job_id)
        if handled_sigint:
            loop.remove_signal_handler(signal.SIGINT)
        await tutor.close()
    return 0
