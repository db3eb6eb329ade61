"""/quiz mistakes, /quiz weakest, the hint before answering and why the wrong options are wrong."""

from __future__ import annotations

import dataclasses
from typing import cast

from bot.core.library import Library
from bot.core.tutor import Tutor
from content.loader import Bank
from content.schema import WhyWrong
from content.search import SearchIndex
from tests.study.conftest import Clock, member
from tests.study.test_quiz import answers, right_and_wrong

ME = 21


def with_why_wrong(bank: Bank) -> Bank:
    """Every MCQ explains its wrong options (made-up lines naming the option they explain)."""
    topics = {}
    for topic_id, topic in bank.topics.items():
        mcqs = []
        for mcq in topic.quiz.mcq:
            wrong = [i for i in range(4) if i != mcq.answer]
            why = WhyWrong(zh=[f"选项{i}不对" for i in wrong], en=[f"option {i} is wrong" for i in wrong])
            mcqs.append(mcq.model_copy(update={"why_wrong": why}))
        topics[topic_id] = topic.model_copy(update={"quiz": topic.quiz.model_copy(update={"mcq": mcqs})})
    return dataclasses.replace(bank, topics=topics)


async def test_mistakes_asks_again_about_a_topic_answered_wrong(tutor: Tutor, frozen: Clock) -> None:
    none_yet = await tutor.handle("/quiz mistakes", member(ME))
    assert none_yet.tone != "error" and "no wrong answers" in none_yet.text
    question = await tutor.handle("/quiz autograd", member(ME))
    _, wrong = right_and_wrong(tutor, question)
    await tutor.handle(wrong, member(ME))
    again = await tutor.handle("/quiz mistakes", member(ME))
    assert again.meta["topic"] == question.meta["topic"]
    assert "Mistakes practice (1 topics" in (again.footer or "")
    right, _ = right_and_wrong(tutor, again)
    await tutor.handle(right, member(ME))
    assert "no wrong answers" in (await tutor.handle("/quiz mistakes", member(ME))).text


async def test_weakest_picks_the_category_with_the_lowest_mastery(tutor: Tutor, frozen: Clock) -> None:
    for _ in range(3):
        right, _ = right_and_wrong(tutor, await tutor.handle("/quiz tensors", member(ME)))
        await tutor.handle(right, member(ME))
    question = await tutor.handle("/quiz weakest", member(ME))
    topic = tutor.library.topic(question.meta["topic"])
    assert topic is not None and topic.category != "tensors"
    assert "weakest category" in (question.footer or "")


async def test_a_hint_rules_out_a_wrong_option_and_does_not_use_up_the_question(
    tutor: Tutor, bank: Bank, frozen: Clock
) -> None:
    teaching = Tutor(tutor.settings, tutor.db, Library(with_why_wrong(bank), cast(SearchIndex, None)))
    question = await teaching.handle("/quiz autograd", member(ME))
    hint = await teaching.handle(question.choices[-1].action, member(ME))
    assert hint.ephemeral and "💡 You can rule out" in hint.text and "is wrong" in hint.text
    assert not any(c.action.startswith("/quiz-hint") for c in hint.choices)
    _, wrong = right_and_wrong(teaching, hint)
    graded = await teaching.handle(wrong, member(ME))
    assert "Why yours is wrong: option" in graded.text
    why = dict((f.name, f.value) for f in graded.fields)["Why the other options are wrong"]
    assert why.count("•") == 3
    assert len(await tutor.db.run(answers, ME)) == 1


def without_why_wrong(bank: Bank) -> Bank:
    topics = {}
    for topic_id, topic in bank.topics.items():
        mcqs = [mcq.model_copy(update={"why_wrong": None}) for mcq in topic.quiz.mcq]
        topics[topic_id] = topic.model_copy(update={"quiz": topic.quiz.model_copy(update={"mcq": mcqs})})
    return dataclasses.replace(bank, topics=topics)


async def test_without_why_wrong_lines_the_hint_falls_back_to_the_summary(
    tutor: Tutor, bank: Bank, frozen: Clock
) -> None:
    plain = Tutor(tutor.settings, tutor.db, Library(without_why_wrong(bank), cast(SearchIndex, None)))
    question = await plain.handle("/quiz autograd", member(ME))
    hint = await plain.handle(question.choices[-1].action, member(ME))
    topic = plain.library.topic(question.meta["topic"])
    assert topic is not None and topic.summary.en[:40] in hint.text


async def test_a_chinese_member_gets_chinese_mode_names(tutor: Tutor, frozen: Clock) -> None:
    reply = await tutor.handle("/quiz 错题", member(ME))
    assert reply.tone != "error"
