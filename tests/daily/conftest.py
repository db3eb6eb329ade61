"""The daily question's core over a real SQLite file and the real content bank, with a fake transport.

`FakePoster` is an in-memory set of channels that behaves like Discord where it matters: ids grow with
time, a deleted channel refuses, and a test can make the process "crash" (a BaseException that no
handler catches) right before or after a send, or while opening a thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from bot.core.context import Member
from bot.core.daily.clock import ManualClock
from bot.core.daily.config import DailyConfig, save_config
from bot.core.daily.poster import Outgoing, PostRefused
from bot.core.daily.schedule import parse_time
from bot.core.daily.scheduler import DailyOptions, DailyScheduler
from bot.core.study import clock as study_clock
from bot.core.tutor import Tutor
from tests import core_fixtures

# The shared Tutor, database and bank fixtures (tests/core_fixtures.py).
bank = core_fixtures.bank
db = core_fixtures.db
tutor = core_fixtures.tutor

T0 = dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.UTC)


class Crash(BaseException):
    """The process dies here: nothing in the scheduler catches it."""


@dataclass
class Sent:
    id: int
    out: Outgoing


@dataclass
class FakePoster:
    channels: dict[int, list[Sent]] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    forbidden: set[int] = field(default_factory=set)
    threads: dict[int, int] = field(default_factory=dict)  # message id -> thread id
    crash: str | None = None  # "before_send", "after_send" or "in_thread": crash there once
    fail_sends: int = 0  # transient failures (a 5xx) before sends go through
    finds: int = 0
    _next_id: int = 1000

    def messages(self, channel_id: int) -> list[Sent]:
        return self.channels.get(channel_id, [])

    def all_messages(self) -> list[Sent]:
        return [m for messages in self.channels.values() for m in messages]

    def checkpoint(self) -> str:
        return str(self._next_id)

    def _check(self, channel_id: int) -> None:
        if channel_id in self.deleted:
            raise PostRefused("channel_deleted", "404 Not Found (error code: 10003): Unknown Channel")
        if channel_id in self.forbidden:
            raise PostRefused("missing_permission", "403 Forbidden (error code: 50013): Missing Permissions")

    def _crash(self, where: str) -> None:
        if self.crash == where:
            self.crash = None
            raise Crash(where)

    async def send(self, out: Outgoing) -> int:
        self._check(out.channel_id)
        self._crash("before_send")
        if self.fail_sends:
            self.fail_sends -= 1
            raise ConnectionResetError("503 Service Unavailable")
        self._next_id += 1
        self.channels.setdefault(out.channel_id, []).append(Sent(self._next_id, out))
        self._crash("after_send")
        return self._next_id

    async def find(self, out: Outgoing, after: str) -> int | None:
        self._check(out.channel_id)
        self.finds += 1
        for sent in self.messages(out.channel_id):
            if sent.id > int(after) and out.marker in (sent.out.reply.footer or ""):
                return sent.id
        return None

    async def open_thread(self, out: Outgoing, message_id: int) -> int:
        self._check(out.channel_id)
        self.threads.setdefault(message_id, message_id)
        self._crash("in_thread")
        return self.threads[message_id]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """One clock for the scheduler and for the command handlers (the study loop's `clock.now`)."""
    manual = ManualClock(T0)
    monkeypatch.setattr(study_clock, "now", manual.now)
    return manual


@pytest.fixture
def poster() -> FakePoster:
    return FakePoster()


@pytest.fixture
def scheduler(tutor: Tutor, poster: FakePoster, clock: ManualClock) -> DailyScheduler:
    return DailyScheduler(tutor, poster, clock, DailyOptions())


def restarted(scheduler: DailyScheduler) -> DailyScheduler:
    """A new process: a fresh scheduler on the same database, transport and clock (nothing in memory)."""
    return DailyScheduler(scheduler.tutor, scheduler.poster, scheduler.clock, scheduler.options)


async def configure(
    tutor: Tutor,
    guild_id: int,
    channel_id: int,
    at: str = "09:00",
    zone: str = "UTC",
    *,
    since: dt.datetime | None = None,
    category: str | None = None,
    level: int | None = None,
) -> None:
    post_time = parse_time(at)
    assert post_time is not None
    config = DailyConfig(guild_id, channel_id, post_time, zone, category, level)
    await tutor.db.run(save_config, config, since or T0 - dt.timedelta(days=1))


def admin(guild_id: int | None = 1, user_id: int = 7) -> Member:
    return Member(user_id=user_id, name="admin", guild_id=guild_id, is_admin=True, locale="en-US")


def member(user_id: int, guild_id: int | None = 1) -> Member:
    return Member(user_id=user_id, name=f"m{user_id}", guild_id=guild_id, locale="en-US")
