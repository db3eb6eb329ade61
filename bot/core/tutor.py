"""The transport-free tutor: parses a command line, runs the feature, returns a Reply."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.core import members
from bot.core.challenge.command import challenge_command
from bot.core.commands import Command, CommandTable
from bot.core.context import Lang, Member, Request, lang_from_locale
from bot.core.daily.answer_cmd import daily_answer_command
from bot.core.daily.daily_cmd import daily_command
from bot.core.features.ask import ask_command, code_command, related_command, topic_command
from bot.core.features.demo import demo_command
from bot.core.features.help import help_command
from bot.core.features.run_code import run_command
from bot.core.features.settings_cmd import settings_command
from bot.core.features.topics import topics_command
from bot.core.i18n import t
from bot.core.library import Library
from bot.core.replies import Reply, error
from bot.core.runner import CodeRunner
from bot.core.study.features.leaderboard_cmd import leaderboard_command
from bot.core.study.features.privacy_cmd import export_command, forget_command
from bot.core.study.features.progress_cmd import progress_command
from bot.core.study.features.quiz_cmd import quiz_answer_command, quiz_command
from bot.core.study.features.review_cmd import review_command, review_rate_command, review_show_command
from bot.settings import Settings
from bot.storage import Database

log = logging.getLogger(__name__)

MAX_LINE = 4000


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


def build_commands() -> CommandTable:
    table = CommandTable()
    listed = [
        ("help", "/help", "列出全部命令", "List every command", help_command),
        (
            "ask",
            "/ask <问题 | question>",
            "在题库里找答案",
            "Answer a question from the content bank",
            ask_command,
        ),
        ("topics", "/topics [category]", "按分类浏览主题", "Browse topics by category", topics_command),
        (
            "quiz",
            "/quiz [category] [level] [framework]",
            "做一道选择题",
            "Take a multiple-choice question",
            quiz_command,
        ),
        ("review", "/review", "复习到期的闪卡", "Review the flashcards that are due", review_command),
        (
            "progress",
            "/progress [member]",
            "学习进度和连续天数",
            "Progress, streaks and accuracy",
            progress_command,
        ),
        (
            "leaderboard",
            "/leaderboard [week|all]",
            "服务器排行榜",
            "This server's leaderboard",
            leaderboard_command,
        ),
        (
            "export-my-data",
            "/export-my-data",
            "导出关于你的全部数据（JSON）",
            "Everything stored about you, as JSON",
            export_command,
        ),
        (
            "forget-me",
            "/forget-me",
            "删除关于你的全部数据（需确认）",
            "Delete everything stored about you (asks first)",
            forget_command,
        ),
        (
            "demo",
            "/demo <name>",
            "运行一个 PyTorch/TensorFlow 演示",
            "Run a PyTorch/TensorFlow demo",
            demo_command,
        ),
        (
            "run",
            "/run <code>",
            "运行你自己的代码片段（需管理员开启）",
            "Run your own snippet (if the server allows)",
            run_command,
        ),
        (
            "challenge",
            "/challenge [topic|level|framework] · start|submit|hint|giveup ID · board",
            "编程题：写代码，沙箱里跑隐藏测试",
            "Coding challenges graded by hidden tests in the sandbox",
            challenge_command,
        ),
        (
            "daily",
            "/daily set|off|status|preview",
            "每日一题（管理员设置频道和时间）",
            "The daily question (admins set its channel and time)",
            daily_command,
        ),
        (
            "settings",
            "/settings language zh|en · timezone ZONE · run-code on|off",
            "设置",
            "Settings",
            settings_command,
        ),
    ]
    for name, usage, zh, en, handler in listed:
        table.add(Command(name, usage, zh, en, handler))
    hidden = [
        ("topic", topic_command),
        ("code", code_command),
        ("related", related_command),
        ("quiz-answer", quiz_answer_command),
        ("review-show", review_show_command),
        ("review-rate", review_rate_command),
        ("daily-answer", daily_answer_command),
    ]
    for name, handler in hidden:
        table.add(Command(name, f"/{name} <id>", "", "", handler, hidden=True))
    return table


class Tutor:
    """Holds what features need (settings, database, content) and dispatches commands to them."""

    def __init__(
        self, settings: Settings, db: Database, library: Library, runner: CodeRunner | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.library = library
        self.runner = runner
        self.commands = build_commands()

    @classmethod
    async def start(cls, settings: Settings, *, with_runner: bool = True) -> Tutor:
        db = Database(settings.database_path)
        await db.start()
        library = await asyncio.to_thread(Library.load)
        runner = None
        if with_runner:
            runner = CodeRunner(settings)
            await runner.start()
        log.info("tutor ready: %d topics", len(library.bank.topics))
        return cls(settings, db, library, runner)

    async def close(self) -> None:
        if self.runner is not None:
            await self.runner.close()
        await self.db.close()

    async def reply_lang(self, request: Request, fallback: Lang) -> Lang:
        """A member's stored preference wins; otherwise the caller's guess."""
        stored = await self.db.run(members.get_language, request.member.user_id)
        return stored or fallback

    def request_for(self, line: str, member: Member, request_id: str | None = None) -> Request:
        parsed = parse_line(line)
        return Request(
            parsed.command,
            parsed.text,
            member,
            lang_from_locale(member.locale, self.settings.language),
            request_id,
        )

    async def handle(self, line: str, member: Member, request_id: str | None = None) -> Reply:
        lang = lang_from_locale(member.locale, self.settings.language)
        if len(line) > MAX_LINE:
            return error(t("ask.too_long", lang, length=len(line), limit=MAX_LINE))
        request = self.request_for(line, member, request_id)
        command = self.commands.get(request.command)
        if command is None:
            return error(t("unknown_command", lang, command=request.command[:40]))
        log.info("command %s from %s", command.name, member.user_id)
        return await command.handler(self, request)
