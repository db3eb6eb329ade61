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
        from saq.queue.redis import RedisQueue

        return RedisQueue.from_url(url, name=name)
    raise ValueError(f"unsupported queue URL {url!r}: use sqlite:///PATH or redis://HOST:PORT/DB")


async def position(queue: Queue, job_key: str) -> int | None:
    """1-based place of a queued job in pickup order, None once it left the queue."""
    if isinstance(queue, SqliteQueue):
        return await queue.position(job_key)
    from saq.queue.redis import RedisQueue

    if isinstance(queue, RedisQueue):
        job_id = queue.job_id(job_key)
        # SAQ pushes on the right and workers take from the left (Redis >= 6.2): the head is next.
        index = await queue.redis.lpos(queue._queued, job_id)
        return None if index is None else int(index) + 1
    return None


__all__ = ["DEFAULT_NAMESPACE", "QUEUE_NAMES", "Queue", "SqliteQueue", "open_queue", "position", "queue_name"]
