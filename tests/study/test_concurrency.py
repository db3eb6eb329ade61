"""Many members answering at once lose no write, through the dispatcher and across connections."""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import partial
from pathlib import Path

import sqlite_utils
from fsrs import Card, Rating

from bot.core.study.cards import get_card
from bot.core.study.record import record_answer
from bot.core.study.scheduler import make_scheduler
from bot.core.tutor import Tutor
from bot.storage import Database
from tests.study.conftest import T0, Clock, member

GUILD = 555


async def test_200_members_answering_at_once_lose_nothing(tutor: Tutor, frozen: Clock) -> None:
    members = [member(1000 + i, GUILD) for i in range(200)]
    questions = await asyncio.gather(*(tutor.handle("/quiz", m) for m in members))
    answers = await asyncio.gather(
        *(
            tutor.handle(q.choices[i % 4].action, m)
            for i, (q, m) in enumerate(zip(questions, members, strict=True))
        )
    )
    assert all(a.title and ("Right" in a.title or "Not quite" in a.title) for a in answers)
    assert all("Not counted" not in (a.footer or "") for a in answers)

    def counts(d: sqlite_utils.Database) -> dict[str, int]:
        one = lambda sql: d.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "answers": one("SELECT COUNT(DISTINCT user_id) FROM study_answers"),
            "cards": one("SELECT COUNT(*) FROM study_cards"),
            "days": one("SELECT SUM(answers) FROM study_days"),
            "scored": one(
                f"SELECT SUM(answers) FROM study_scores WHERE guild_id = {GUILD} AND period = 'all'"
            ),
            "weekly": one(f"SELECT COUNT(*) FROM study_scores WHERE guild_id = {GUILD} AND period != 'all'"),
            "pending": one("SELECT COUNT(*) FROM study_pending"),
        }

    assert await tutor.db.run(counts) == {
        "answers": 200,
        "cards": 200,
        "days": 200,
        "scored": 200,
        "weekly": 200,
        "pending": 0,
    }
    board = await tutor.handle("/leaderboard all", members[0])
    assert "of 200" in (board.footer or "")


async def test_two_connections_writing_one_member_serialise(tmp_path: Path) -> None:
    """Two processes' worth of connections (a bot and a daily-question job) on one file, one card.

    Each answer reads the card and writes it back; unless the transaction holds the write lock from
    its first read, one writer's update would be overwritten by the other's stale copy.
    """
    path = tmp_path / "shared.db"
    first, second = Database(path), Database(path)
    await first.start()
    await second.start()
    scheduler = make_scheduler(fuzz=False)

    async def writer(database: Database, offset: int) -> None:
        for i in range(150):
            at = T0 + dt.timedelta(seconds=2 * i + offset)
            await database.run(
                partial(record_answer, scheduler=scheduler),
                9,
                GUILD,
                "autograd-basics",
                i % 3 != 0,
                "daily",
                at,
            )

    await asyncio.gather(writer(first, 0), writer(second, 1))

    def replay(d: sqlite_utils.Database) -> tuple[Card, Card | None, int]:
        rows = d.execute("SELECT rating, at_ts FROM study_answers ORDER BY id").fetchall()
        card = Card(
            card_id=int(dt.datetime.fromtimestamp(rows[0][1], dt.UTC).timestamp() * 1000),
            due=dt.datetime.fromtimestamp(rows[0][1], dt.UTC),
        )
        for rating, ts in rows:
            card, _ = scheduler.review_card(card, Rating(rating), dt.datetime.fromtimestamp(ts, dt.UTC))
        stored = get_card(d, 9, "autograd-basics")
        return card, stored.card if stored else None, stored.reviews if stored else 0

    expected, stored, reviews = await first.run(replay)
    days = await first.run(lambda d: d.execute("SELECT SUM(answers) FROM study_days").fetchone()[0])
    await first.close()
    await second.close()
    assert reviews == 300 and days == 300
    assert stored is not None and stored.to_dict() == expected.to_dict()
