"""The Redis backend: SAQ's RedisQueue plus what the client needs from it, through SAQ's public API.

* `position(job_key)`: the 1-based place of a queued job. SAQ pushes on the right of its `queued`
  list and workers pop from the left, so the index in that list (`LPOS`, Redis >= 6.2) is the place.
* `follow(job_key)`: wake on the job's pub/sub notifications (SAQ publishes every status change on
  the job's channel). One `listen` task per followed job runs for the whole follow, so a change
  published while the client reads the job is not lost; the caller's timeout still re-reads now and
  then, which covers a notification that arrives before the subscription is in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from saq.job import Status
from saq.queue.redis import RedisQueue

log = logging.getLogger(__name__)


class RedisFollower:
    def __init__(self, queue: RedisQueue, job_key: str) -> None:
        self._changed = asyncio.Event()
        self._task = asyncio.create_task(queue.listen([job_key], self._on_change, timeout=None))

    async def start(self) -> None:
        await asyncio.sleep(0)  # let the listen task subscribe before the caller reads the job

    def _on_change(self, job_key: str, status: Status) -> bool:
        self._changed.set()
        return False  # keep listening until the follow ends

    async def wait(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
        self._changed.clear()

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task


class BackpropRedisQueue(RedisQueue):
    def follow(self, job_key: str) -> RedisFollower:
        return RedisFollower(self, job_key)

    async def position(self, job_key: str) -> int | None:
        index = await self.redis.lpos(self.namespace("queued"), self.job_id(job_key))
        return index + 1 if isinstance(index, int) else None
