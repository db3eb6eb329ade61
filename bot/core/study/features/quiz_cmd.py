"""`/quiz [category] [level] [framework]` asks a question; `/quiz-answer ...` (its buttons) grades it."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import sqlite_utils

from bot.core.categories import category_name
from bot.core.context import Lang, Request
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Choice, Field, Reply, error
from bot.core.study import clock, quiz_tokens
from bot.core.study.actions import QuizAnswer, parse_quiz_answer
from bot.core.study.cards import all_cards
from bot.core.study.quiz_filters import FilterError, candidates, filter_of, parse_filter
from bot.core.study.quiz_modes import (
    Mode,
    mistaken_topics,
    targeted_mode,
    weakest_category,
    why_wrong_line,
    why_wrong_lines,
)
from bot.core.study.quiz_pick import Question, pick_question, pick_topic
from bot.core.study.record import record_answer
from bot.core.study.timefmt import when
from bot.core.study.transaction import immediate
from bot.core.study.zones import get_zone_name
from content.schema import CATEGORIES, Topic

if TYPE_CHECKING:
    from bot.core.tutor import Tutor

_rng = random.Random()


def quiz_args(text: str) -> dict[str, object]:
    """`/quiz` words in any order (`2 autograd torch`, `topic:<id>` from a topic's button), or one of the
    targeted modes (`mistakes`, `weakest`, in either language)."""
    mode = targeted_mode(text)
    if mode is not None:
        return {"mode": mode}
    try:
        wanted = parse_filter(text)
    except FilterError as exc:
        return {"invalid": exc.word}
    return {
        "category": wanted.category,
        "level": wanted.level,
        "framework": wanted.framework,
        "topic": wanted.topic_id,
    }


async def quiz_command(tutor: Tutor, request: Request) -> Reply:
    lang = request.lang
    mode = request.args.get("mode")
    if mode in ("mistakes", "weakest"):
        return await _targeted(tutor, request, mode, lang)
    try:
        wanted = filter_of(request.args)
    except FilterError as exc:
        names = ", ".join(category_name(c, lang) for c in CATEGORIES)
        return error(t("quiz.bad_filter", lang, word=clip(exc.word, 40), categories=names))
    topics = candidates(tutor.library.bank.topics, wanted)
    if not topics:
        return error(t("quiz.no_match", lang))
    question, token = await tutor.db.run(_ask, request.member.user_id, topics, clock.now())
    return question_reply(question, token, lang)


async def _targeted(tutor: Tutor, request: Request, mode: Mode, lang: Lang) -> Reply:
    """`/quiz mistakes` (topics answered wrong, due first) or `/quiz weakest` (the weakest category)."""
    bank = tutor.library.bank.topics
    user_id = request.member.user_id
    if mode == "mistakes":
        ids = await tutor.db.run(mistaken_topics, user_id, clock.now())
        topics = [bank[i] for i in ids if i in bank]
        if not topics:
            return Reply(
                title=t("quiz.mistakes_title", lang),
                text=t("quiz.no_mistakes", lang),
                choices=(Choice(t("quiz.next", lang), "/quiz", style="primary"),),
            )
        question, token = await tutor.db.run(_ask_first, user_id, topics[0], clock.now())
        note = t("quiz.mistakes_note", lang, count=len(topics))
    else:
        category = await tutor.db.run(weakest_category, user_id, list(bank.values()), clock.now(), _rng)
        topics = [topic for topic in bank.values() if topic.category == category]
        question, token = await tutor.db.run(_ask, user_id, topics, clock.now())
        note = t("quiz.weakest_note", lang, category=category_name(category, lang))
    reply = question_reply(question, token, lang)
    return replace(reply, footer=f"{note} · {reply.footer}")


def _ask(
    db: sqlite_utils.Database, user_id: int, topics: list[Topic], at: dt.datetime
) -> tuple[Question, str]:
    cards = {c.topic_id: c for c in all_cards(db, user_id)}
    question = pick_question(pick_topic(topics, cards, at, _rng), _rng)
    return question, quiz_tokens.issue(db, user_id, question.topic.id, question.mcq_index, at)


def _ask_first(
    db: sqlite_utils.Database, user_id: int, topic: Topic, at: dt.datetime
) -> tuple[Question, str]:
    question = pick_question(topic, _rng)
    return question, quiz_tokens.issue(db, user_id, topic.id, question.mcq_index, at)


def question_reply(question: Question, token: str, lang: Lang) -> Reply:
    topic = question.topic
    mcq = topic.quiz.mcq[question.mcq_index]
    options = getattr(mcq.options, lang)
    choices = tuple(
        Choice(
            clip(options[original], 80),
            QuizAnswer(token, topic.id, question.mcq_index, question.order, shown).action(),
        )
        for shown, original in enumerate(question.order)
    )
    hint = QuizAnswer(token, topic.id, question.mcq_index, question.order, 0).hint_action()
    choices = (*choices, Choice(t("quiz.hint", lang), hint, style="secondary"))
    return Reply(
        title=t("quiz.title", lang, topic=topic.title.get(lang)),
        text=mcq.question.get(lang),
        choices=choices,
        footer=f"{category_name(topic.category, lang)} · {t('level', lang)} {topic.level}",
        tone="info",
        meta={"topic": topic.id},
    )


@dataclass(frozen=True, slots=True)
class Graded:
    counted: bool
    next_due: dt.datetime | None
    zone: str


async def quiz_answer_command(tutor: Tutor, request: Request) -> Reply:
    lang = await tutor.reply_lang(request, request.lang)
    answer = parse_quiz_answer(request.text)
    topic = tutor.library.topic(answer.topic_id) if answer else None
    if answer is None or topic is None or not _fits(answer, topic):
        return error(t("quiz.bad_answer", lang))
    correct = answer.picked_option == topic.quiz.mcq[answer.mcq_index].answer
    member = request.member
    graded = await tutor.db.run(_grade, answer, member.user_id, member.guild_id, correct, clock.now())
    return answer_reply(topic, answer, correct, graded, lang)


def _fits(answer: QuizAnswer, topic: Topic) -> bool:
    return 0 <= answer.mcq_index < len(topic.quiz.mcq) and len(answer.order) == len(
        topic.quiz.mcq[answer.mcq_index].options.en
    )


def _grade(
    db: sqlite_utils.Database,
    answer: QuizAnswer,
    user_id: int,
    guild_id: int | None,
    correct: bool,
    at: dt.datetime,
) -> Graded:
    """Claim the pending question and record the answer in one transaction: it counts once or not at all."""
    with immediate(db):
        if not quiz_tokens.claim(db, answer.token, user_id, answer.topic_id, answer.mcq_index, at):
            return Graded(False, None, get_zone_name(db, user_id))
        recorded = record_answer(db, user_id, guild_id, answer.topic_id, correct, "quiz", at)
        return Graded(True, recorded.card.due, get_zone_name(db, user_id))


def answer_reply(topic: Topic, answer: QuizAnswer, correct: bool, graded: Graded, lang: Lang) -> Reply:
    mcq = topic.quiz.mcq[answer.mcq_index]
    options = getattr(mcq.options, lang)
    lines = [mcq.question.get(lang), "", t("quiz.your_answer", lang, answer=options[answer.picked_option])]
    if not correct:
        lines.append(t("quiz.right_answer", lang, answer=options[mcq.answer]))
        picked_why = why_wrong_line(mcq, answer.picked_option, lang)
        if picked_why:
            lines.append(t("quiz.why_yours", lang, why=picked_why))
    if graded.counted and graded.next_due is not None:
        footer = t("quiz.next_review", lang, when=when(graded.next_due, clock.now(), graded.zone, lang))
    else:
        footer = t("quiz.not_counted", lang)
    choices = (
        Choice(t("quiz.next", lang), "/quiz", style="primary"),
        Choice(
            t("quiz.more_category", lang, category=category_name(topic.category, lang)),
            f"/quiz {topic.category}",
        ),
        Choice(t("quiz.open_topic", lang), f"/topic {topic.id} {lang}"),
    )
    fields = [Field(t("quiz.explanation", lang), clip(mcq.explanation.get(lang), 1024))]
    others = why_wrong_lines(mcq, lang)
    if others:
        fields.append(Field(t("quiz.why_wrong", lang), clip(others, 1024)))
    return Reply(
        title=t("quiz.right" if correct else "quiz.wrong", lang),
        text="\n".join(lines),
        fields=tuple(fields),
        choices=choices,
        footer=footer,
        tone="success" if correct else "answer",
        meta={"topic": topic.id},
    )


async def quiz_hint_command(tutor: Tutor, request: Request) -> Reply:
    """Before answering: one wrong option ruled out, with why; the answer buttons come along again."""
    lang = await tutor.reply_lang(request, request.lang)
    answer = parse_quiz_answer(f"{request.text} 0")
    topic = tutor.library.topic(answer.topic_id) if answer else None
    if answer is None or topic is None or not _fits(answer, topic):
        return error(t("quiz.bad_answer", lang))
    mcq = topic.quiz.mcq[answer.mcq_index]
    options = getattr(mcq.options, lang)
    wrong = [i for i in answer.order if i != mcq.answer]
    ruled_out = wrong[int(hashlib.sha256(answer.token.encode()).hexdigest()[:8], 16) % len(wrong)]
    why = why_wrong_line(mcq, ruled_out, lang) or topic.summary.get(lang)
    question = Question(topic, answer.mcq_index, answer.order)
    again = question_reply(question, answer.token, lang)
    text = t("quiz.hint_text", lang, option=options[ruled_out], why=why)
    return replace(
        again,
        text=f"{again.text}\n\n💡 {text}",
        choices=tuple(c for c in again.choices if not c.action.startswith("/quiz-hint")),
        ephemeral=True,
    )
