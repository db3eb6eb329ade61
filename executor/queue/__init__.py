"""Queue backends behind SAQ's one interface: embedded SQLite (default) or Redis."""

from __future__ import annotations

from saq.queue.base import Queue

from executor.queue.sqlite import SqliteQueue

QUEUE_NAMES = ("cpu", "gpu")
DEFAULT_NAMESPACE = "backprop-"


def queue_name(kind: str, namespace: str = DEFAULT_NAMESPACE) -> str:
    """The SAQ queue name of the cpu or gpu queue; tests give each run its own namespace."""
    return f"{namespace}{kind}"


def open_queue(url: str, name: str) -> Queue:
    """`sqlite:///PATH` or `redis://HOST:PORT/DB`; one URL holds both the cpu and gpu queues."""
    if url.startswith("sqlite:///"):
        return SqliteQueue.from_url(url, name=name)
    if url.startswith(("redis://", "rediss://")):
        from executor.queue.redis import BackpropRedisQueue

        return BackpropRedisQueue.from_url(url, name=name)
    raise ValueError(f"unsupported queue URL {url!r}: use sqlite:///PATH or redis://HOST:PORT/DB")


async def position(queue: Queue, job_key: str) -> int | None:
    """1-based place of a queued job in pickup order, None once it left the queue."""
    place = getattr(queue, "position", None)
    return await place(job_key) if place is not None else None


__all__ = ["DEFAULT_NAMESPACE", "QUEUE_NAMES", "Queue", "SqliteQueue", "open_queue", "position", "queue_name"]
