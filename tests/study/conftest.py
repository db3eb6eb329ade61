"""A real Tutor over a real SQLite file and the real content bank (without the search index)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest

from bot.core.context import Member
from bot.core.library import Library
from bot.core.study import clock
from bot.core.tutor import Tutor
from bot.settings import load_settings
from bot.storage import Database
from content.loader import Bank, load_bank
from content.search import SearchIndex

T0 = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "study.db")
    await database.start()
    yield database
    await database.close()


@pytest.fixture
def tutor(db: Database, bank: Bank, tmp_path: Path) -> Tutor:
    # The study loop never searches: building the index would only slow the tests down.
    library = Library(bank=bank, index=cast(SearchIndex, None))
    return Tutor(load_settings(data_dir=tmp_path / "data", language="en"), db, library)


class Clock:
    """A settable `clock.now` for the handlers."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> dt.datetime:
        self.at += dt.timedelta(**delta)
        return self.at


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(T0)
    monkeypatch.setattr(clock, "now", fake)
    return fake


def member(user_id: int, guild_id: int | None = None, name: str | None = None) -> Member:
    return Member(user_id=user_id, name=name or f"m{user_id}", guild_id=guild_id, locale="en-US")
