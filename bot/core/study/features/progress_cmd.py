"""`/progress [member]`: mastery per category, due cards, streak, accuracy, answers per day, and a chart."""

from __future__ import annotations

import asyncio
import datetime as dt
import unicodedata
from typing import TYPE_CHECKING

from bot.core.categories import category_name
from bot.core.context import Lang, Request
from bot.core.i18n import t, tn
from bot.core.interview.store import History, history
from bot.core.replies import Attachment, Choice, Field, Reply
from bot.core.study import clock
from bot.core.study.chart import ChartData, ChartLabels, render_png
from bot.core.study.mastery import CategoryMastery, mastery_by_category
from bot.core.study.stats import RECENT_ACCURACY_DAYS, Progress, load_progress
from bot.core.study.timefmt import when
from content.schema import CATEGORIES

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
    interviews = await tutor.db.run(history, user_id)
    who = request.member.name if user_id == request.member.user_id else member_label(user_id, request)
    if progress.answers == 0 and interviews.interviews == 0:
        return empty_reply(who, progress.zone, lang)
    mastery = mastery_by_category(tutor.library.bank.topics.values(), progress.cards, now, progress.by_topic)
    png = await asyncio.to_thread(
        render_png, ChartData(progress.recent, mastery, _chart_title(now, lang), _labels(lang))
    )
    return progress_reply(progress, mastery, interviews, who, png, now, lang)


def empty_reply(who: str, zone: str, lang: Lang) -> Reply:
    """Nothing recorded yet: say what progress will show and how to start, instead of an empty chart."""
    return Reply(
        title=t("progress.title", lang, who=who),
        text=t("progress.empty_explained", lang),
        choices=(
            Choice(t("quiz.next", lang), "/quiz", style="primary"),
            Choice(t("progress.start_interview", lang), "/interview"),
        ),
        footer=t("progress.footer", lang, zone=zone),
    )


def _chart_title(now: dt.datetime, lang: Lang) -> str:
    return t("progress.chart_title", lang, date=f"{now:%Y-%m-%d}")


def _labels(lang: Lang) -> ChartLabels:
    return ChartLabels(
        answers_title=t("progress.chart_answers", lang),
        mastery_title=t("progress.chart_mastery", lang),
        right=t("progress.chart_right", lang),
        wrong=t("progress.chart_wrong", lang),
        categories={c: category_name(c, lang) for c in CATEGORIES},
    )


def member_label(user_id: int, request: Request) -> str:
    """A mention on a server (Discord shows the name, without pinging, in an embed); the id elsewhere."""
    return f"<@{user_id}>" if request.member.guild_id is not None else f"#{user_id}"


def progress_reply(
    progress: Progress,
    mastery: list[CategoryMastery],
    interviews: History,
    who: str,
    png: bytes,
    now: dt.datetime,
    lang: Lang,
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
        Field(t("progress.mastery_recent", lang, days=RECENT_ACCURACY_DAYS), _mastery_lines(mastery, lang)),
        Field(t("progress.interviews", lang), _interviews(interviews, lang)),
    )
    text = t("progress.mastery_help", lang)
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
    """One line per category the member has touched: recall bar, recall %, recent right/answers."""
    touched = [m for m in mastery if m.seen or m.recent_answers]
    names = {m.category: category_name(m.category, lang) for m in touched}
    width = max((_columns(n) for n in names.values()), default=0)
    lines = []
    for m in sorted(touched, key=lambda m: m.category):
        name = names[m.category]
        pad = " " * (width - _columns(name))
        recent = t("progress.recent_value", lang, correct=m.recent_correct, answers=m.recent_answers)
        lines.append(f"{name}{pad} {_bar(m.mastery)} {round(100 * m.mastery):>3}% · {recent}")
    if not lines:
        return "—"
    return "```\n" + "\n".join(lines) + "\n```"


def _interviews(interviews: History, lang: Lang) -> str:
    if interviews.interviews == 0:
        return t("progress.interviews_none", lang)
    average = "—" if interviews.average is None else f"{interviews.average:.0%}"
    return t(
        "progress.interviews_value",
        lang,
        count=interviews.interviews,
        answered=interviews.answered,
        average=average,
    )


def _bar(fraction: float) -> str:
    filled = round(fraction * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)
