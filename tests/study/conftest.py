"""A real Tutor over a real SQLite file and the real content bank (without the search index)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.context import Member
from bot.core.study import clock
from tests import core_fixtures

# The shared Tutor, database and bank fixtures (tests/core_fixtures.py).
bank = core_fixtures.bank
db = core_fixtures.db
tutor = core_fixtures.tutor

T0 = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)


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
