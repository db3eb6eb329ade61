"""/review: due cards one at a time, "Show answer", Again/Hard/Good/Easy, and "nothing due" says when."""

from __future__ import annotations

import sqlite_utils

from bot.core.tutor import Tutor
from tests.study.conftest import Clock, member
from tests.study.test_quiz import right_and_wrong

ME = 21


def card_row(d: sqlite_utils.Database, topic_id: str) -> tuple[int, int]:
    return d.execute(
        "SELECT due_ts, reviews FROM study_cards WHERE user_id = ? AND topic_id = ?", [ME, topic_id]
    ).fetchone()


async def test_no_cards_yet_points_to_the_quiz(tutor: Tutor, frozen: Clock) -> None:
    reply = await tutor.handle("/review", member(ME))
    assert "no cards yet" in reply.text
    assert reply.choices[0].action == "/quiz"


async def test_a_full_review_round(tutor: Tutor, frozen: Clock) -> None:
    question = await tutor.handle("/quiz topic:autograd-basics", member(ME))
    right, _ = right_and_wrong(tutor, question)
    await tutor.handle(right, member(ME))

    waiting = await tutor.handle("/review", member(ME))
    assert waiting.title == "Nothing due" and "Next card due:" in waiting.text and "in 10 min" in waiting.text

    frozen.advance(minutes=11)
    front = await tutor.handle("/review", member(ME))
    topic = tutor.library.topic("autograd-basics")
    assert topic is not None
    assert front.text == topic.quiz.cards[1 % len(topic.quiz.cards)].front.en
    assert "1 due" in (front.title or "")
    (show,) = front.choices
    assert show.label == "Show answer" and show.action.startswith("/review-show autograd-basics ")

    back = await tutor.handle(show.action, member(ME))
    assert back.fields[0].value
    labels = [c.label.split(" · ")[0] for c in back.choices]
    assert labels == ["Again", "Hard", "Good", "Easy"]
    good = back.choices[2].action
    assert good.startswith("/review-rate autograd-basics ") and good.endswith(" 3")

    rated = await tutor.handle(good, member(ME))
    assert rated.tone == "success" and "next review" in rated.text
    due_ts, reviews = await tutor.db.run(card_row, "autograd-basics")
    assert reviews == 2 and due_ts > frozen().timestamp() + 86400

    twice = await tutor.handle(good, member(ME))
    assert "did not count" in twice.text
    assert (await tutor.db.run(card_row, "autograd-basics"))[1] == 2
    sources = await tutor.db.run(
        lambda d: [r[0] for r in d.execute("SELECT source FROM study_answers ORDER BY id")]
    )
    assert sources == ["quiz", "review"]


async def test_again_brings_the_card_back_within_minutes(tutor: Tutor, frozen: Clock) -> None:
    right, _ = right_and_wrong(tutor, await tutor.handle("/quiz topic:autograd-basics", member(ME)))
    await tutor.handle(right, member(ME))
    frozen.advance(minutes=11)
    front = await tutor.handle("/review", member(ME))
    back = await tutor.handle(front.choices[0].action, member(ME))
    again = next(c for c in back.choices if c.label.startswith("Again"))
    await tutor.handle(again.action, member(ME))
    due_ts, _ = await tutor.db.run(card_row, "autograd-basics")
    assert due_ts - frozen().timestamp() <= 600
    assert (await tutor.handle("/review", member(ME))).title == "Nothing due"
    frozen.advance(minutes=11)
    assert (await tutor.handle("/review", member(ME))).choices[0].label == "Show answer"


async def test_bad_review_actions_are_refused(tutor: Tutor, frozen: Clock) -> None:
    for line in (
        "/review-show nope 0",
        "/review-show autograd-basics 9",
        "/review-rate autograd-basics 0 7",
        "/review-rate autograd-basics 0",
    ):
        assert (await tutor.handle(line, member(ME))).tone == "error", line
    never_studied = await tutor.handle("/review-rate autograd-basics 0 3", member(ME))
    assert "did not count" in never_studied.text
