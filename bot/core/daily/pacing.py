"""A request pacer: calls spaced at least 1/rate seconds apart, so a burst of posts stays within a limit.

Discord allows a bot 50 requests per second in all (its global rate limit) and answers more with 429s;
discord.py waits those out, but a bot that keeps hitting them gets banned for a while. Spacing the
daily posts' requests below the limit avoids the 429s instead of recovering from them. Real time, not
the scheduler's clock: this is about the rate requests reach Discord.
"""

from __future__ import annotations

import asyncio


class Pacer:
    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Return when the next request may go."""
        if not self.interval:
            return
        async with self._lock:
            loop = asyncio.get_running_loop()
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = max(self._next, loop.time()) + self.interval
