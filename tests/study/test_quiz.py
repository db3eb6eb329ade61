"""/quiz and its answer buttons: the question rides in the action, counts once, survives a restart."""

from __future__ import annotations

import sqlite_utils

from bot.core.library import Library
from bot.core.replies import Reply
from bot.core.study.actions import parse_quiz_answer
from bot.core.tutor import Tutor
from tests.study.conftest import Clock, member

ME, OTHER = 11, 12


def right_and_wrong(tutor: Tutor, question: Reply) -> tuple[str, str]:
    """The actions of the right option and of one wrong option, from the topic file itself."""
    right = wrong = ""
    for choice in answer_choices(question):
        answer = parse_quiz_answer(choice.action.removeprefix("/quiz-answer "))
        assert answer is not None
        topic = tutor.library.topic(answer.topic_id)
        assert topic is not None
        if answer.picked_option == topic.quiz.mcq[answer.mcq_index].answer:
            right = choice.action
        else:
            wrong = choice.action
    return right, wrong


def answer_choices(question: Reply) -> list:
    return [c for c in question.choices if c.action.startswith("/quiz-answer ")]


def answers(d: sqlite_utils.Database, user_id: int) -> list[tuple[str, int]]:
    return d.execute(
        "SELECT source, correct FROM study_answers WHERE user_id = ? ORDER BY id", [user_id]
    ).fetchall()


async def test_a_question_offers_its_options_in_a_recorded_order(tutor: Tutor, frozen: Clock) -> None:
    question = await tutor.handle("/quiz", member(ME))
    assert len(answer_choices(question)) == 4 and all(len(c.label) <= 80 for c in question.choices)
    assert question.choices[-1].action.startswith("/quiz-hint ")
    topic = tutor.library.topic(question.meta["topic"])
    assert topic is not None
    parsed = [parse_quiz_answer(c.action.removeprefix("/quiz-answer ")) for c in answer_choices(question)]
    assert [p.picked for p in parsed if p] == [0, 1, 2, 3]
    order = parsed[0].order if parsed[0] else ()
    assert sorted(order) == [0, 1, 2, 3]
    assert [c.label for c in answer_choices(question)] == [
        topic.quiz.mcq[parsed[0].mcq_index].options.en[i] for i in order
    ]


async def test_right_and_wrong_answers_are_graded_and_recorded(tutor: Tutor, frozen: Clock) -> None:
    right, _ = right_and_wrong(tutor, await tutor.handle("/quiz", member(ME)))
    graded = await tutor.handle(right, member(ME))
    assert graded.tone == "success" and graded.title == "✅ Right"
    assert graded.fields[0].name == "Explanation" and graded.fields[0].value
    assert any(c.action.startswith("/topic ") for c in graded.choices)
    assert "Next review" in (graded.footer or "")

    _, wrong = right_and_wrong(tutor, await tutor.handle("/quiz", member(ME)))
    graded = await tutor.handle(wrong, member(ME))
    assert graded.title == "❌ Not quite" and "Right answer:" in graded.text
    assert await tutor.db.run(answers, ME) == [("quiz", 1), ("quiz", 0)]


async def test_an_answer_counts_once_and_only_for_the_member_asked(tutor: Tutor, frozen: Clock) -> None:
    right, _ = right_and_wrong(tutor, await tutor.handle("/quiz", member(ME)))
    stranger = await tutor.handle(right, member(OTHER))
    assert "Not counted" in (stranger.footer or "")
    await tutor.handle(right, member(ME))
    again = await tutor.handle(right, member(ME))
    assert again.title == "✅ Right" and "Not counted" in (again.footer or "")
    assert await tutor.db.run(answers, ME) == [("quiz", 1)]
    assert await tutor.db.run(answers, OTHER) == []


async def test_a_question_outlives_a_restart(tutor: Tutor, frozen: Clock) -> None:
    right, _ = right_and_wrong(tutor, await tutor.handle("/quiz", member(ME)))
    restarted = Tutor(tutor.settings, tutor.db, Library(bank=tutor.library.bank, index=tutor.library.index))
    graded = await restarted.handle(right, member(ME))
    assert graded.title == "✅ Right" and "Not counted" not in (graded.footer or "")


async def test_filters_choose_the_topics(tutor: Tutor, frozen: Clock) -> None:
    for _ in range(5):
        question = await tutor.handle("/quiz tensorflow 1", member(ME))
        topic = tutor.library.topic(question.meta["topic"])
        assert topic is not None and "tensorflow" in topic.frameworks and topic.level == 1
        question = await tutor.handle("/quiz autograd", member(ME))
        assert tutor.library.topic(question.meta["topic"]).category == "autograd"  # type: ignore[union-attr]
    pinned = await tutor.handle("/quiz topic:autograd-basics", member(ME))
    assert pinned.meta["topic"] == "autograd-basics"
    assert (await tutor.handle("/quiz astrology", member(ME))).tone == "error"
    assert (await tutor.handle("/quiz topic:no-such-topic", member(ME))).tone == "error"


async def test_due_topics_are_asked_before_new_ones(tutor: Tutor, frozen: Clock) -> None:
    _, wrong = right_and_wrong(tutor, await tutor.handle("/quiz autograd", member(ME)))
    topic_id = wrong.split()[2]
    await tutor.handle(wrong, member(ME))
    frozen.advance(minutes=5)  # a wrong answer is due again after a minute
    again = await tutor.handle("/quiz autograd", member(ME))
    assert again.meta["topic"] == topic_id


async def test_tampered_actions_are_refused(tutor: Tutor, frozen: Clock) -> None:
    right, _ = right_and_wrong(tutor, await tutor.handle("/quiz", member(ME)))
    token, topic_id, mcq, order, picked = right.split()[1:]
    for bad in (
        f"{token} {topic_id} {mcq} 0012 {picked}",
        f"{token} {topic_id} 99 {order} {picked}",
        f"{token} nope {mcq} {order} {picked}",
        f"{token} {topic_id} {mcq} {order} 4",
        "x",
    ):
        assert (await tutor.handle(f"/quiz-answer {bad}", member(ME))).tone == "error", bad
    assert await tutor.db.run(answers, ME) == []
