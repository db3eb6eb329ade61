"""`/progress [member]`: mastery per category, due cards, streak, accuracy, answers per day, and a chart."""

from __future__ import annotations

import asyncio
import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

from bot.core.categories import category_name
from bot.core.context import Lang, Request
from bot.core.i18n import t, tn
from bot.core.replies import Attachment, Choice, Field, Reply
from bot.core.study import clock
from bot.core.study.chart import ChartData, render_png
from bot.core.study.mastery import CategoryMastery, mastery_by_category
from bot.core.study.stats import Progress, load_progress
from bot.core.study.timefmt import when

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

BAR_WIDTH = 10
WEEK = 7


async def progress_command(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    chosen = request.arg("member")
    target = chosen if isinstance(chosen, int) else None
    user_id = request.member.user_id if target is None else target
    now = clock.now()
    progress = await tutor.db.run(load_progress, user_id, now)
    mastery = mastery_by_category(tutor.library.bank.topics.values(), progress.cards, now)
    png = await asyncio.to_thread(
        render_png, ChartData(progress.recent, mastery, f"Backprop progress, {now:%Y-%m-%d}")
    )
    who = request.member.name if user_id == request.member.user_id else member_label(user_id, request)
    return progress_reply(progress, mastery, who, png, now, lang)


def member_label(user_id: int, request: Request) -> str:
    """A mention on a server (Discord shows the name, without pinging, in an embed); the id elsewhere."""
    return f"<@{user_id}>" if request.member.guild_id is not None else f"#{user_id}"


def progress_reply(
    progress: Progress, mastery: list[CategoryMastery], who: str, png: bytes, now: dt.datetime, lang: Lang
) -> Reply:
    fields = (
        Field(
            t("progress.streak", lang),
            t(
                "progress.streak_value",
                lang,
                days=progress.streak.current,
                longest=progress.streak.longest,
                zone=progress.zone,
            ),
            inline=True,
        ),
        Field(t("progress.accuracy", lang), _accuracy(progress, lang), inline=True),
        Field(t("progress.due", lang), _due(progress, now, lang), inline=True),
        Field(t("progress.per_day", lang), _per_day(progress, lang)),
        Field(t("progress.mastery", lang), _mastery_lines(mastery, lang)),
    )
    text = t("progress.empty", lang) if progress.answers == 0 else ""
    choices = (
        Choice(t("progress.review", lang), "/review", style="primary"),
        Choice(t("quiz.next", lang), "/quiz"),
    )
    return Reply(
        title=t("progress.title", lang, who=who),
        text=text,
        fields=fields,
        attachments=(Attachment("progress.png", png, t("progress.chart", lang)),),
        choices=choices,
        footer=t("progress.footer", lang, zone=progress.zone),
    )


def _accuracy(progress: Progress, lang: Lang) -> str:
    if progress.accuracy is None:
        return "—"
    return t(
        "progress.accuracy_value",
        lang,
        percent=round(100 * progress.accuracy),
        correct=progress.correct,
        answers=progress.answers,
    )


def _due(progress: Progress, now: dt.datetime, lang: Lang) -> str:
    text = tn("progress.due_value", lang, progress.due)
    if progress.due == 0 and progress.next_due is not None:
        text += "\n" + t("progress.next", lang, when=when(progress.next_due, now, progress.zone, lang))
    return text


def _per_day(progress: Progress, lang: Lang) -> str:
    week = progress.recent[-WEEK:]
    today = progress.recent[-1].answers if progress.recent else 0
    average = sum(d.answers for d in week) / WEEK
    return t(
        "progress.per_day_value",
        lang,
        today=today,
        average=f"{average:.1f}",
        total=sum(d.answers for d in progress.recent),
        days=len(progress.recent),
    )


def _columns(text: str) -> int:
    """Monospace width: a Chinese character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _mastery_lines(mastery: list[CategoryMastery], lang: Lang) -> str:
    names = {m.category: category_name(m.category, lang) for m in mastery}
    width = max((_columns(n) for n in names.values()), default=0)
    lines = [
        f"{names[m.category]}{' ' * (width - _columns(names[m.category]))} {_bar(m.mastery)} "
        f"{round(100 * m.mastery):>3}%  {m.seen}/{m.topics}"
        for m in sorted(mastery, key=lambda m: m.category)
    ]
    return "```\n" + "\n".join(lines) + "\n```" if lines else "—"


def _bar(fraction: float) -> str:
    filled = round(fraction * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)
