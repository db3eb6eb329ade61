"""/export-my-data returns every row about the member; /forget-me, once confirmed, leaves none behind."""

from __future__ import annotations

import json

import sqlite_utils

from bot.core.replies import Reply
from bot.core.tutor import Tutor
from tests.study.conftest import Clock, member

ME, OTHER, GUILD = 4_242_424_242, 5_353_535_353, 77


def rows_mentioning(d: sqlite_utils.Database, value: int) -> dict[str, int]:
    """Every table, every column: how many rows hold `value` anywhere."""
    found = {}
    for (table,) in d.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        columns = [row[1] for row in d.execute(f'PRAGMA table_info("{table}")').fetchall()]
        where = " OR ".join(f'"{c}" = ?' for c in columns)
        count = d.execute(f'SELECT COUNT(*) FROM "{table}" WHERE {where}', [value] * len(columns)).fetchone()[
            0
        ]
        if count:
            found[table] = count
    return found


async def study(tutor: Tutor, user_id: int) -> None:
    who = member(user_id, GUILD)
    for line in ("/settings language en", "/settings timezone Asia/Shanghai"):
        await tutor.handle(line, who)
    for pick in range(3):
        question = await tutor.handle("/quiz", who)
        await tutor.handle(question.choices[pick].action, who)
    await tutor.handle("/quiz", who)  # asked, never answered: a pending row


def choice(reply: Reply, label: str) -> str:
    return next(c.action for c in reply.choices if c.label == label)


async def test_forget_me_leaves_no_row_behind(tutor: Tutor, frozen: Clock) -> None:
    await study(tutor, ME)
    await study(tutor, OTHER)
    before = await tutor.db.run(rows_mentioning, ME)
    assert {"members", "study_answers", "study_cards", "study_days", "study_scores", "study_pending"} <= set(
        before
    )
    other_before = await tutor.db.run(rows_mentioning, OTHER)

    asked = await tutor.handle("/forget-me", member(ME, GUILD))
    assert asked.ephemeral and "privacy_tokens" in await tutor.db.run(rows_mentioning, ME)
    done = await tutor.handle(choice(asked, "Yes, delete everything"), member(ME, GUILD))
    assert done.tone == "success", done.text

    assert await tutor.db.run(rows_mentioning, ME) == {}
    assert await tutor.db.run(rows_mentioning, OTHER) == other_before
    progress = await tutor.handle("/progress", member(ME, GUILD))
    assert "Nothing recorded yet" in progress.text or "还没有任何记录" in progress.text


async def test_deleting_needs_the_confirmation_token(tutor: Tutor, frozen: Clock) -> None:
    await study(tutor, ME)
    before = await tutor.db.run(rows_mentioning, ME)
    asked = await tutor.handle("/forget-me", member(ME))
    action = choice(asked, "Yes, delete everything")
    token = action.split()[-1]
    for typed in (
        "/forget-me confirm",
        "/forget-me confirm guessed-token",
        f"/forget-me confirm {token}x",
        "/forget-me now",
    ):
        refused = await tutor.handle(typed, member(ME))
        assert refused.tone == "error", typed
    assert (await tutor.handle(action, member(OTHER))).tone == "error"  # the button in someone else's hands
    assert await tutor.db.run(rows_mentioning, ME) == {**before, "privacy_tokens": 1}

    frozen.advance(minutes=11)
    expired = await tutor.handle(action, member(ME))
    assert expired.tone == "error"
    assert (await tutor.db.run(rows_mentioning, ME))["study_answers"] == 3

    cancelled = await tutor.handle(choice(await tutor.handle("/forget-me", member(ME)), "Cancel"), member(ME))
    assert "nothing was deleted" in cancelled.text
    assert "privacy_tokens" not in await tutor.db.run(rows_mentioning, ME)


async def test_export_holds_every_row_about_the_member(tutor: Tutor, frozen: Clock) -> None:
    await study(tutor, ME)
    await study(tutor, OTHER)
    reply = await tutor.handle("/export-my-data", member(ME, GUILD))
    assert reply.ephemeral
    (attachment,) = reply.attachments
    document = json.loads(attachment.data)
    assert document["member_id"] == ME
    tables = document["tables"]
    stored = await tutor.db.run(rows_mentioning, ME)
    assert {name: len(rows) for name, rows in tables.items() if rows} == stored
    assert all(row["user_id"] == ME for rows in tables.values() for row in rows)
    assert tables["members"][0]["timezone"] == "Asia/Shanghai"
    assert tables["study_cards"][0]["card"]["stability"] > 0
    assert tables["study_answers"][0]["at_utc"].startswith("2025-03-03T12:00")
    assert str(OTHER) not in attachment.data.decode()
