"""The scheduler's clock, injected: the system clock in production, a hand-moved one in tests.

Tests move a `ManualClock` forward instead of sleeping; `sleep` on it returns once the clock has been
moved far enough, so the scheduler loop runs exactly as it does in production.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Protocol

from bot.core.study import clock as study_clock


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware UTC datetime."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The study loop's clock (`bot.core.study.clock.now`), so answers and posts agree on the time."""

    def now(self) -> dt.datetime:
        return study_clock.now()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class ManualClock:
    """Time stands still until a test moves it; sleepers wake when it passes their deadline."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = study_clock.as_utc(start)
        self._moved = asyncio.Event()

    def now(self) -> dt.datetime:
        return self._now

    def set(self, at: dt.datetime) -> dt.datetime:
        self._now = study_clock.as_utc(at)
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()
        return self._now

    def advance(self, **delta: float) -> dt.datetime:
        return self.set(self._now + dt.timedelta(**delta))

    async def sleep(self, seconds: float) -> None:
        deadline = self._now + dt.timedelta(seconds=seconds)
        while self._now < deadline:
            await self._moved.wait()
