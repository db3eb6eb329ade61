"""What a daily post says: yesterday's answer with its numbers first, then the question and its buttons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.categories import category_name
from bot.core.context import Lang
from bot.core.daily.actions import DailyAnswer
from bot.core.daily.picker import DailyQuestion
from bot.core.daily.poster import Outgoing
from bot.core.daily.posts import Post
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Reply
from content.schema import Topic

LETTERS = "ABCDEFGH"
THREAD_NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class Reveal:
    """The previous post's right answer and how its server did."""

    day: dt.date
    topic: Topic
    question: DailyQuestion
    answers: int
    correct: int


def option_text(topic: Topic, question: DailyQuestion, shown: int, lang: Lang) -> str:
    options = getattr(topic.quiz.mcq[question.mcq_index].options, lang)
    return f"{LETTERS[shown]}. {options[question.order[shown]]}"


def right_shown(topic: Topic, question: DailyQuestion) -> int:
    return question.order.index(topic.quiz.mcq[question.mcq_index].answer)


def reveal_text(reveal: Reveal, day: dt.date, lang: Lang) -> str:
    when = t("daily.yesterday", lang) if (day - reveal.day).days == 1 else reveal.day.isoformat()
    answer = option_text(reveal.topic, reveal.question, right_shown(reveal.topic, reveal.question), lang)
    if reveal.answers == 0:
        stats = t("daily.reveal_nobody", lang)
    else:
        stats = t(
            "daily.reveal_stats",
            lang,
            answers=reveal.answers,
            percent=round(100 * reveal.correct / reveal.answers),
        )
    return t("daily.reveal", lang, when=when, topic=reveal.topic.title.get(lang), answer=answer, stats=stats)


def question_text(topic: Topic, question: DailyQuestion, lang: Lang) -> str:
    mcq = topic.quiz.mcq[question.mcq_index]
    options = [option_text(topic, question, shown, lang) for shown in range(len(question.order))]
    return "\n".join([mcq.question.get(lang), "", *options])


def footer(topic: Topic, lang: Lang, marker: str | None) -> str:
    parts = [category_name(topic.category, lang), f"{t('level', lang)} {topic.level}"]
    return " · ".join([*parts, marker] if marker else parts)


def post_reply(post: Post, topic: Topic, reveal: Reveal | None) -> Reply:
    lang = post.lang
    body = question_text(topic, post.question, lang)
    text = f"{reveal_text(reveal, post.day, lang)}\n\n{body}" if reveal is not None else body
    choices = tuple(
        Choice(LETTERS[shown], DailyAnswer(post.id, shown).action(), style="primary")
        for shown in range(len(post.question.order))
    )
    return Reply(
        title=t("daily.title", lang, date=post.day.isoformat(), topic=topic.title.get(lang)),
        text=text,
        choices=choices,
        footer=footer(topic, lang, post.marker),
        tone="info",
        meta={"topic": topic.id, "daily_post": str(post.id)},
    )


def thread_name(post: Post) -> str:
    return clip(t("daily.thread_name", post.lang, date=post.day.isoformat()), THREAD_NAME_MAX)


def outgoing(post: Post, topic: Topic, reveal: Reveal | None) -> Outgoing:
    return Outgoing(
        post.id,
        post.guild_id,
        post.channel_id,
        post_reply(post, topic, reveal),
        post.marker,
        post.nonce,
        thread_name(post),
    )
