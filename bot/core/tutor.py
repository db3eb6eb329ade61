"""The transport-free tutor: parses a command line, runs the feature, returns a Reply."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.core import members
from bot.core.challenge.command import challenge_command
from bot.core.context import Lang, Member, Request, lang_from_locale
from bot.core.daily.answer_cmd import daily_answer_command
from bot.core.daily.daily_cmd import (
    daily_off_command,
    daily_preview_command,
    daily_set_args,
    daily_set_command,
    daily_status_command,
)
from bot.core.features.ask import ask_command, code_command, related_command, topic_command
from bot.core.features.demo import demo_command
from bot.core.features.help import help_command
from bot.core.features.run_code import run_command
from bot.core.features.settings_cmd import (
    settings_language,
    settings_run_code,
    settings_show,
    settings_timezone,
)
from bot.core.features.topics import topics_command
from bot.core.i18n import t
from bot.core.interview.command import answer_if_waiting, interview_command
from bot.core.library import Library
from bot.core.registry import ArgError, Invocation, Param, Registry, Spec
from bot.core.replies import Reply, error
from bot.core.runner import CodeRunner
from bot.core.study.features.leaderboard_cmd import leaderboard_args, leaderboard_command
from bot.core.study.features.privacy_cmd import export_command, forget_command
from bot.core.study.features.progress_cmd import progress_command
from bot.core.study.features.quiz_cmd import quiz_answer_command, quiz_args, quiz_command, quiz_hint_command
from bot.core.study.features.review_cmd import review_command, review_rate_command, review_show_command
from bot.core.study.quiz_filters import FRAMEWORKS
from bot.settings import Settings
from bot.storage import Database

log = logging.getLogger(__name__)

MAX_LINE = 4100  # a 4,000-character `/ask` question plus its command


@dataclass(frozen=True, slots=True)
class ParsedLine:
    command: str
    text: str


def parse_line(line: str) -> ParsedLine:
    """`/ask foo bar` -> (ask, "foo bar"); a line without a slash is treated as `/ask`."""
    line = line.strip()
    if not line.startswith(("/", "!")):
        return ParsedLine("ask", line)
    head, _, rest = line[1:].partition(" ")
    return ParsedLine(head.strip().lower(), rest.strip())


def build_registry() -> Registry:
    """Every command, declared once (descriptions: `command.*` in locales/commands.yaml)."""
    text = Param("text", "text", slash=False)  # the arguments buttons carry
    return Registry(
        (
            Spec("help", help_command),
            Spec("ask", ask_command, params=(Param("query", "text", autocomplete="topics"),)),
            Spec("topics", topics_command, params=(Param("category", autocomplete="categories"),)),
            Spec(
                "quiz",
                quiz_command,
                params=(
                    Param("category", autocomplete="categories"),
                    Param("level", "int", min=1, max=3),
                    Param("framework", "choice", choices=FRAMEWORKS),
                    Param("mode", "choice", choices=("mistakes", "weakest")),
                ),
                parse=quiz_args,
            ),
            Spec("review", review_command),
            Spec("progress", progress_command, params=(Param("member", "user"),)),
            Spec(
                "leaderboard",
                leaderboard_command,
                params=(Param("period", "choice", choices=("week", "all")),),
                parse=leaderboard_args,
            ),
            Spec("export-my-data", export_command, chat=False),
            Spec("forget-me", forget_command, params=(text,), chat=False),
            # A demo's name, or words that filter the demo list (`autograd page 2`).
            Spec("demo", demo_command, params=(Param("name", "text", autocomplete="demos"),)),
            # `/interview [category] [level] [questions]`, and its steps (answer, tick, confirm, next, stop).
            Spec("interview", interview_command, params=(Param("text", "text"),)),
            # Coding challenges; on Discord the challenge cog (a command group, !submit, a form) serves them.
            Spec("challenge", challenge_command, params=(Param("text", "text"),), slash=False, chat=False),
            # The slash /run opens a code editor (a modal) instead: see the Discord cog.
            Spec("run", run_command, params=(Param("code", "text"),), slash=False),
            Spec(
                "daily",
                subcommands=(
                    Spec(
                        "set",
                        daily_set_command,
                        params=(
                            Param("channel", "channel", slash_required=True),
                            Param("time", required=True),
                            Param("timezone", required=True, autocomplete="zones"),
                            Param("category", autocomplete="categories"),
                            Param("level", "int", min=1, max=3),
                        ),
                        parse=daily_set_args,
                        admin=True,
                        guild_only=True,
                    ),
                    Spec("off", daily_off_command, admin=True, guild_only=True),
                    Spec("status", daily_status_command),
                    Spec("preview", daily_preview_command),
                ),
                default="status",
            ),
            Spec(
                "settings",
                subcommands=(
                    Spec("show", settings_show),
                    Spec(
                        "language",
                        settings_language,
                        params=(Param("language", "choice", True, ("zh", "en")),),
                    ),
                    Spec("timezone", settings_timezone, params=(Param("timezone", autocomplete="zones"),)),
                    Spec(
                        "run-code",
                        settings_run_code,
                        params=(Param("state", "choice", True, ("on", "off")),),
                        admin=True,
                        guild_only=True,
                    ),
                ),
                default="show",
            ),
            Spec("topic", topic_command, params=(text,), hidden=True),
            Spec("code", code_command, params=(text,), hidden=True),
            Spec("related", related_command, params=(text,), hidden=True),
            Spec("quiz-answer", quiz_answer_command, params=(text,), hidden=True),
            Spec("quiz-hint", quiz_hint_command, params=(text,), hidden=True),
            Spec("review-show", review_show_command, params=(text,), hidden=True),
            Spec("review-rate", review_rate_command, params=(text,), hidden=True),
            Spec("daily-answer", daily_answer_command, params=(text,), hidden=True),
        )
    )


class Tutor:
    """Holds what features need (settings, database, content) and dispatches commands to them."""

    def __init__(
        self, settings: Settings, db: Database, library: Library, runner: CodeRunner | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.library = library
        self.runner = runner
        self.commands = build_registry()

    @classmethod
    async def start(cls, settings: Settings, *, with_runner: bool = True, lazy_worker: bool = False) -> Tutor:
        """`lazy_worker`: start the embedded executor worker on the first code job (the console)."""
        db = Database(settings.database_path)
        await db.start()
        library = await asyncio.to_thread(Library.load)
        runner = None
        if with_runner:
            runner = CodeRunner(settings, lazy=lazy_worker)
            await runner.start()
        log.info("tutor ready: %d topics", len(library.bank.topics))
        return cls(settings, db, library, runner)

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.close()
        await self.db.close()

    async def reply_lang(self, request: Request, fallback: Lang) -> Lang:
        """A member's stored preference (looked up once, before the command ran) wins; else the guess."""
        return request.lang if request.lang_chosen else fallback

    async def member_lang(self, member: Member) -> tuple[Lang, bool]:
        """The member's stored language, else their client's; and whether it was stored."""
        stored = await self.db.run(members.get_language, member.user_id)
        if stored:
            return stored, True
        return lang_from_locale(member.locale, self.settings.language), False

    async def handle(self, line: str, member: Member, request_id: str | None = None) -> Reply:
        """A typed line (console, chat, a button's action): parse it against the registry and run it."""
        lang, chosen = await self.member_lang(member)
        if len(line) > MAX_LINE:
            return error(t("ask.too_long", lang, length=len(line), limit=MAX_LINE))
        if not line.lstrip().startswith(("/", "!")):
            # A plain line while a mock interview question waits is its answer.
            waiting = Request("interview", line, member, lang, request_id, {}, chosen)
            answered = await answer_if_waiting(self, waiting)
            if answered is not None:
                return answered
        parsed = parse_line(line)
        try:
            invocation = self.commands.parse(parsed.command, parsed.text)
        except ArgError as exc:
            return error(usage_error(exc, lang))
        if invocation is None:
            return error(t("unknown_command", lang, command=parsed.command[:40]))
        return await self._run(invocation, member, lang, chosen, request_id)

    async def run(
        self,
        path: tuple[str, ...],
        values: dict[str, object],
        member: Member,
        request_id: str | None = None,
    ) -> Reply:
        """A slash command: its typed values go to the feature as they are."""
        lang, chosen = await self.member_lang(member)
        return await self._run(self.commands.resolve(path, values), member, lang, chosen, request_id)

    async def _run(
        self, invocation: Invocation, member: Member, lang: Lang, chosen: bool, request_id: str | None
    ) -> Reply:
        request = Request(
            invocation.path[0], invocation.text, member, lang, request_id, invocation.args, chosen
        )
        handler = invocation.spec.handler
        assert handler is not None, "a group resolves to one of its subcommands"
        log.info("command %s from %s", " ".join(invocation.path), member.user_id)
        return await handler(self, request)


def usage_error(exc: ArgError, lang: Lang) -> str:
    key = {"missing": "registry.missing", "extra": "registry.extra"}.get(exc.reason, "registry.bad")
    return t(key, lang, word=exc.word[:40], usage=exc.usage)
