"""`/daily-answer <post> <option>`: a daily post's button. One answer per member, counted in the study loop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.context import Lang, Request
from bot.core.daily.actions import parse_answer_text
from bot.core.daily.answers import Answered, answer
from bot.core.daily.message import option_text, right_shown
from bot.core.daily.posts import get_post
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Field, Reply, error
from bot.core.study import clock
from content.schema import Topic

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


async def daily_answer_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    parsed = parse_answer_text(request.text)
    post = await tutor.db.run(get_post, parsed.post_id) if parsed is not None else None
    topic = tutor.library.topic(post.question.topic_id) if post is not None else None
    if parsed is None or post is None or topic is None or parsed.shown >= len(post.question.order):
        return error(t("daily.unknown_post", lang))
    picked = post.question.order[parsed.shown]
    correct = picked == topic.quiz.mcq[post.question.mcq_index].answer
    member = request.member
    answered = await tutor.db.run(
        answer, post.id, member.user_id, member.guild_id, picked, correct, clock.now()
    )
    if answered.outcome == "unknown" or answered.post is None:
        return error(t("daily.unknown_post", lang))
    if answered.outcome == "already":
        shown = answered.post.question.order.index(answered.picked)
        return error(t("daily.already", lang, answer=option_text(topic, answered.post.question, shown, lang)))
    if answered.outcome == "closed":
        right = option_text(topic, answered.post.question, right_shown(topic, answered.post.question), lang)
        return error(t("daily.closed", lang, answer=right))
    return _graded(topic, answered, parsed.shown, correct, lang)


def _graded(topic: Topic, answered: Answered, shown: int, correct: bool, lang: Lang) -> Reply:
    assert answered.post is not None
    question = answered.post.question
    mcq = topic.quiz.mcq[question.mcq_index]
    lines = [
        mcq.question.get(lang),
        "",
        t("quiz.your_answer", lang, answer=option_text(topic, question, shown, lang)),
    ]
    if not correct:
        lines.append(
            t(
                "quiz.right_answer",
                lang,
                answer=option_text(topic, question, right_shown(topic, question), lang),
            )
        )
    return Reply(
        title=t("quiz.right" if correct else "quiz.wrong", lang),
        text="\n".join(lines),
        fields=(Field(t("quiz.explanation", lang), clip(mcq.explanation.get(lang), 1024)),),
        choices=(Choice(t("quiz.open_topic", lang), f"/topic {topic.id} {lang}"),),
        footer=t("daily.counted", lang),
        tone="success" if correct else "answer",
        ephemeral=True,
        meta={"topic": topic.id},
    )
