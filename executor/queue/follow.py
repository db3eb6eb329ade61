"""Following one job's changes without re-reading it in a loop: the queue backends' wake-ups.

`follow(queue, job_key)` returns a `Follower`: arm it before reading the job, then `await
follower.wait(timeout)` returns as soon as the job may have changed (or after `timeout`, a safety net
for the watchdog and for notifications a backend cannot give). Each backend implements it with what
it has:

* SQLite: an in-process event set by every write of this process, and across processes SQLite's
  `PRAGMA data_version`, read every `poll_interval` (a counter, not a job lookup);
* Redis: SAQ's pub/sub job notifications, listened to in a background task for the whole follow.
"""

from __future__ import annotations

from typing import Protocol

from saq.queue.base import Queue


class Follower(Protocol):
    async def start(self) -> None:
        """Arm the follower; call it before the first read of the job."""

    async def wait(self, timeout: float) -> None:
        """Return when the followed job may have changed, or after `timeout` seconds."""

    async def close(self) -> None: ...


class Followable(Protocol):
    def follow(self, job_key: str) -> Follower: ...

    async def position(self, job_key: str) -> int | None: ...


def follow(queue: Queue, job_key: str) -> Follower:
    if not hasattr(queue, "follow"):
        raise TypeError(f"{queue!r} cannot follow jobs: open queues with executor.queue.open_queue")
    return queue.follow(job_key)
