"""Challenge submissions in SQLite: progress, FSRS, the board, export and forget."""

from __future__ import annotations

import datetime as dt

from bot.core.challenge import store
from bot.core.context import Member
from bot.core.study import clock
from bot.core.study.privacy import export_member, forget_member, issue_token
from bot.core.study.record import read_card
from bot.core.tutor import Tutor
from bot.storage import Database
from tests import core_fixtures

bank = core_fixtures.bank
db = core_fixtures.db
tutor = core_fixtures.tutor

T0 = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
GUILD = 77


def save(
    db_, user: int, verdict: str, at: dt.datetime, ms: float = 50.0, challenge: str = "stable-log-softmax"
):
    return db_.run_sync(
        store.save_submission,
        user,
        GUILD,
        challenge,
        "numerical-stability-tests",
        verdict,
        3,
        10,
        ms,
        "code",
        at,
    )


async def test_a_failure_schedules_the_topic_and_a_solve_counts_once(db: Database) -> None:
    first = await db.run(
        store.save_submission,
        1,
        GUILD,
        "stable-log-softmax",
        "numerical-stability-tests",
        "wrong_answer",
        6,
        10,
        80.0,
        "x",
        T0,
    )
    assert first.counted and not first.first_solve
    card = await db.run(read_card, 1, "numerical-stability-tests")
    assert card is not None and card.due <= T0 + dt.timedelta(days=1)
    again = await db.run(
        store.save_submission,
        1,
        GUILD,
        "stable-log-softmax",
        "numerical-stability-tests",
        "wrong_answer",
        6,
        10,
        80.0,
        "x",
        T0 + dt.timedelta(minutes=1),
    )
    assert not again.counted  # resubmitting at once does not farm answers
    solved = await db.run(
        store.save_submission,
        1,
        GUILD,
        "stable-log-softmax",
        "numerical-stability-tests",
        "accepted",
        10,
        10,
        40.0,
        "y",
        T0 + dt.timedelta(minutes=2),
    )
    assert solved.first_solve and solved.first_in_server and solved.counted
    later = await db.run(
        store.save_submission,
        1,
        GUILD,
        "stable-log-softmax",
        "numerical-stability-tests",
        "accepted",
        10,
        10,
        30.0,
        "z",
        T0 + dt.timedelta(minutes=3),
    )
    assert not later.first_solve and not later.counted
    answers = await db.run(
        lambda d: d.execute("SELECT source, correct FROM study_answers WHERE user_id = 1").fetchall()
    )
    assert answers == [("challenge", 0), ("challenge", 1)]


async def test_board_ranks_solves_then_first_then_fastest(db: Database) -> None:
    args = ("numerical-stability-tests",)
    for user, verdict, minutes, ms, challenge in [
        (1, "accepted", 0, 90.0, "stable-log-softmax"),
        (2, "accepted", 5, 20.0, "stable-log-softmax"),
        (2, "accepted", 6, 20.0, "layernorm-from-scratch"),
        (3, "wrong_answer", 1, 5.0, "stable-log-softmax"),
    ]:
        await db.run(
            store.save_submission,
            user,
            GUILD,
            challenge,
            *args,
            verdict,
            1,
            1,
            ms,
            "c",
            T0 + dt.timedelta(minutes=minutes),
        )
    rows = await db.run(store.load_board, GUILD)
    assert [(r.user_id, r.solves, r.first_solves, r.fastest) for r in rows] == [(2, 2, 1, 2), (1, 1, 1, 0)]
    assert await db.run(store.load_board, GUILD + 1) == []


async def test_export_includes_and_forget_removes_submissions(db: Database) -> None:
    await db.run(
        store.save_submission,
        5,
        GUILD,
        "stable-log-softmax",
        "numerical-stability-tests",
        "accepted",
        1,
        1,
        1.0,
        "secret code",
        T0,
    )
    exported = await db.run(export_member, 5)
    assert exported["challenge_submissions"][0]["code"] == "secret code"
    assert exported["challenge_attempts"]
    token = await db.run(issue_token, 5, T0)
    deleted = await db.run(forget_member, 5, token, T0)
    assert deleted["challenge_submissions"] == 1 and deleted["challenge_attempts"] == 1
    assert (await db.run(export_member, 5))["challenge_submissions"] == []


async def test_commands_without_grading(tutor: Tutor, monkeypatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: T0)
    me = Member(user_id=9, name="m9", guild_id=GUILD, locale="en-US")

    async def say(text: str):
        return await tutor.handle(text, me)

    listed = await say("/challenge pytorch page 1")
    assert "Coding challenges" in listed.title and listed.select
    assert "Next page" in [c.label for c in listed.choices] or len(listed.select) <= 8
    started = await say("/challenge start swish-autograd-function")
    assert "class Swish(torch.autograd.Function):" in started.text
    hint = await say("/challenge hint swish-autograd-function")
    assert hint.title.endswith("(1/2)")
    ask = await say("/challenge giveup swish-autograd-function")
    assert ask.choices and ask.choices[0].action.endswith("confirm")
    shown = await say(ask.choices[0].action)
    assert "save_for_backward" in shown.text
    card = await tutor.db.run(read_card, 9, "custom-autograd-function")
    assert card is not None  # giving up scheduled the topic
    assert (await say("/challenge start no-such-thing")).tone == "error"
    assert (await say("/challenge submit stable-log-softmax")).meta[
        "awaits_code"
    ] == "/challenge submit stable-log-softmax"
    assert "not a /challenge action" in (await say("/challenge ```x```")).text
