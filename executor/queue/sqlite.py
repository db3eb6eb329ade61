"""SAQ's queue interface over one SQLite file: the embedded default, no server needed.

Implementing `saq.Queue` keeps a single worker code path: `saq.Worker` drives this queue exactly as
it drives Redis, with the same heartbeats, timeouts, aborts and sweeps. Leases are SAQ's: an active
job whose heartbeat (its `touched` time) goes stale is swept, then retried or aborted.

All SQLite work runs on one dedicated thread per queue object (WAL, busy timeout), never on the
event loop. In one process an enqueue wakes waiting workers at once; other processes' enqueues are
seen by polling at most every `poll_interval` (50 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
import time
import typing as t
import weakref
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from saq.job import Job, Status
from saq.queue.base import Queue
from saq.utils import now

if t.TYPE_CHECKING:
    from saq.types import CountKind, QueueInfo, WorkerInfo

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.025  # cross-process pickup and result polling; in-process waits wake at once
BUSY_TIMEOUT_MS = 10_000
TERMINAL = ("aborted", "complete", "failed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS saq_jobs (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,
    queue      TEXT NOT NULL,
    status     TEXT NOT NULL,
    priority   INTEGER NOT NULL DEFAULT 0,
    scheduled  REAL NOT NULL DEFAULT 0,
    expire_at  REAL,
    job        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS saq_jobs_pickup ON saq_jobs (queue, status, priority, seq);
CREATE INDEX IF NOT EXISTS saq_jobs_expiry ON saq_jobs (expire_at) WHERE expire_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS saq_workers (
    worker_id  TEXT PRIMARY KEY,
    queue      TEXT NOT NULL,
    info       TEXT NOT NULL,
    expire_at  REAL NOT NULL
);
"""

# Enqueue wake-ups for queues in this process, keyed by (database file, queue name).
_WAKERS: dict[tuple[str, str], weakref.WeakSet[SqliteQueue]] = {}


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(SCHEMA)
    return conn


class SqliteQueue(Queue):
    """A durable SAQ queue in a SQLite file; `sqlite:///PATH` URLs."""

    @classmethod
    def from_url(cls, url: str, **kwargs: t.Any) -> SqliteQueue:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"not a sqlite:/// URL: {url}")
        return cls(Path(url[len("sqlite:///") - 1 :]), **kwargs)

    def __init__(
        self,
        path: Path,
        name: str = "default",
        poll_interval: float = POLL_INTERVAL,
        swept_error_message: str | None = None,
    ) -> None:
        super().__init__(name=name, dump=None, load=None, swept_error_message=swept_error_message)
        self.path = Path(path).resolve()
        self.poll_interval = poll_interval
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()
        self._followers: weakref.WeakSet[SqliteFollower] = weakref.WeakSet()
        _WAKERS.setdefault((str(self.path), name), weakref.WeakSet()).add(self)

    def __repr__(self) -> str:
        return f"SqliteQueue<{self.path}, name={self.name!r}>"

    # -- plumbing ---------------------------------------------------------------------------------

    async def connect(self) -> None:
        await super().connect()
        await self._run(lambda conn: None)

    async def disconnect(self) -> None:
        if self._executor is None:
            return
        await self._run(self._close)
        self._executor.shutdown(wait=True)
        self._executor = None

    def _close(self, conn: sqlite3.Connection) -> None:
        conn.close()
        self._conn = None

    async def _run(self, fn: Callable[[sqlite3.Connection], t.Any]) -> t.Any:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saq-sqlite")
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, fn)

    def _call(self, fn: Callable[[sqlite3.Connection], t.Any]) -> t.Any:
        if self._conn is None:
            self._conn = _connect(self.path)
        return fn(self._conn)

    def _wake_local(self, event: str = "_wake") -> None:
        """Set an event on every queue object of this file and name in this process."""
        for queue in list(_WAKERS.get((str(self.path), self.name), ())):
            try:
                loop = queue._loop
                if loop is not None and not loop.is_closed():
                    setter = queue._set_changed if event == "_changed" else getattr(queue, event).set
                    loop.call_soon_threadsafe(setter)
            except RuntimeError:
                continue

    def _set_changed(self) -> None:
        self._changed.set()
        for follower in list(self._followers):
            follower.changed.set()

    def follow(self, job_key: str) -> SqliteFollower:
        follower = SqliteFollower(self)
        self._followers.add(follower)
        return follower

    async def data_version(self) -> int:
        """SQLite's counter of commits by other connections: it moves when another process writes."""
        return await self._run(lambda c: c.execute("PRAGMA data_version").fetchone()[0])

    # -- reading ----------------------------------------------------------------------------------

    def _row_job(self, row: tuple[str, str] | None) -> Job | None:
        if row is None:
            return None
        return self.deserialize(row[0], Status(row[1]))

    async def job(self, job_key: str) -> Job | None:
        row = await self._run(
            lambda c: c.execute(
                "SELECT job, status FROM saq_jobs WHERE key = ? AND queue = ?", (job_key, self.name)
            ).fetchone()
        )
        return self._row_job(row)

    async def jobs(self, job_keys: Iterable[str]) -> list[Job | None]:
        keys = list(job_keys)

        def read(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
            marks = ",".join("?" * len(keys))
            rows = (
                conn.execute(
                    f"SELECT key, job, status FROM saq_jobs WHERE queue = ? AND key IN ({marks})",
                    (self.name, *keys),
                ).fetchall()
                if keys
                else []
            )
            return {key: (job, status) for key, job, status in rows}

        found = await self._run(read)
        return [self._row_job(found.get(key)) for key in keys]

    async def iter_jobs(
        self, statuses: Iterable[Status] = tuple(Status), batch_size: int = 100
    ) -> AsyncIterator[Job]:
        last = 0
        wanted = [s.value for s in statuses]
        marks = ",".join("?" * len(wanted))
        while True:
            rows = await self._run(
                lambda c, last=last: c.execute(
                    f"SELECT seq, job, status FROM saq_jobs WHERE queue = ? AND status IN ({marks}) AND seq > ? "
                    "ORDER BY seq LIMIT ?",
                    (self.name, *wanted, last, batch_size),
                ).fetchall()
            )
            if not rows:
                return
            for seq, payload, status in rows:
                last = seq
                job = self.deserialize(payload, Status(status))
                if job is not None:
                    yield job

    async def count(self, kind: CountKind) -> int:
        queries = {
            "queued": (
                "SELECT COUNT(*) FROM saq_jobs WHERE queue = ? AND status = 'queued' AND scheduled <= ?",
                (self.name, time.time()),
            ),
            "active": ("SELECT COUNT(*) FROM saq_jobs WHERE queue = ? AND status = 'active'", (self.name,)),
            "incomplete": (
                "SELECT COUNT(*) FROM saq_jobs WHERE queue = ? AND status IN "
                "('new', 'queued', 'active', 'aborting')",
                (self.name,),
            ),
        }
        if kind not in queries:
            raise ValueError(f"can't count unknown kind {kind!r}")
        sql, args = queries[kind]
        return await self._run(lambda c: c.execute(sql, args).fetchone()[0])

    async def position(self, job_key: str) -> int | None:
        """1-based place among queued jobs in pickup order, or None when not queued."""

        def read(conn: sqlite3.Connection) -> int | None:
            row = conn.execute(
                "SELECT priority, seq FROM saq_jobs WHERE key = ? AND queue = ? AND status = 'queued'",
                (job_key, self.name),
            ).fetchone()
            if row is None:
                return None
            ahead = conn.execute(
                "SELECT COUNT(*) FROM saq_jobs WHERE queue = ? AND status = 'queued' "
                "AND (priority < ? OR (priority = ? AND seq < ?))",
                (self.name, row[0], row[0], row[1]),
            ).fetchone()
            return ahead[0] + 1

        return await self._run(read)

    async def info(self, jobs: bool = False, offset: int = 0, limit: int = 10) -> QueueInfo:
        rows = await self._run(
            lambda c: c.execute(
                "SELECT worker_id, info FROM saq_workers WHERE queue = ? AND expire_at >= ?",
                (self.name, time.time()),
            ).fetchall()
        )
        workers = {worker_id: json.loads(info) for worker_id, info in rows}
        queued = await self.count("queued")
        active = await self.count("active")
        incomplete = await self.count("incomplete")
        job_info: list[dict[str, t.Any]] = []
        if jobs:
            async for job in self.iter_jobs([Status.QUEUED, Status.ACTIVE]):
                job_info.append(job.to_dict())
            job_info = job_info[offset : offset + limit]
        return {
            "workers": workers,
            "name": self.name,
            "queued": queued,
            "active": active,
            "scheduled": incomplete - queued - active,
            "jobs": job_info,
        }

    # -- writing ----------------------------------------------------------------------------------

    async def _enqueue(self, job: Job) -> Job | None:
        payload = self.serialize(job)
        scheduled = float(job.scheduled or 0)

        def insert(conn: sqlite3.Connection) -> bool:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT status FROM saq_jobs WHERE key = ?", (job.key,)).fetchone()
                if row is not None and row[0] not in TERMINAL:
                    conn.execute("ROLLBACK")
                    return False
                if row is not None:
                    conn.execute("DELETE FROM saq_jobs WHERE key = ?", (job.key,))
                conn.execute(
                    "INSERT INTO saq_jobs (key, queue, status, priority, scheduled, job) VALUES (?, ?, ?, ?, ?, ?)",
                    (job.key, self.name, job.status.value, job.priority, scheduled, payload),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return True

        if not await self._run(insert):
            return None
        log.debug("enqueued %s", job.key)
        self._wake_local()
        return job

    async def _update(self, job: Job, status: Status | None = None, **kwargs: t.Any) -> None:
        expire_at = kwargs.pop("expire_at", -1)
        job.status = status or job.status
        payload = self.serialize(job)

        def write(conn: sqlite3.Connection) -> None:
            if expire_at != -1:
                conn.execute(
                    "UPDATE saq_jobs SET job = ?, status = ?, scheduled = ?, expire_at = ? WHERE key = ?",
                    (payload, job.status.value, float(job.scheduled or 0), expire_at, job.key),
                )
            else:
                conn.execute(
                    "UPDATE saq_jobs SET job = ?, status = ?, scheduled = ? WHERE key = ?",
                    (payload, job.status.value, float(job.scheduled or 0), job.key),
                )

        await self._run(write)
        if job.status == Status.QUEUED:
            self._wake_local()
        self._wake_local("_changed")

    async def update(self, job: Job, **kwargs: t.Any) -> None:
        """A heartbeat or progress update; never resurrects a job that was aborted meanwhile."""
        if "status" not in kwargs:
            current = await self._run(
                lambda c: c.execute("SELECT status FROM saq_jobs WHERE key = ?", (job.key,)).fetchone()
            )
            if current is not None and current[0] in ("aborting", "aborted"):
                kwargs["status"] = Status(current[0])
        await super().update(job, **kwargs)

    async def abort(self, job: Job, error: str, ttl: float = 5) -> None:
        def mark(conn: sqlite3.Connection) -> str | None:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT status FROM saq_jobs WHERE key = ?", (job.key,)).fetchone()
            if row is None or row[0] in TERMINAL:
                conn.execute("ROLLBACK")
                return None
            if row[0] == "queued":
                conn.execute("UPDATE saq_jobs SET status = 'aborted' WHERE key = ?", (job.key,))
            else:
                job.status, job.error = Status.ABORTING, error
                conn.execute(
                    "UPDATE saq_jobs SET status = 'aborting', job = ? WHERE key = ?",
                    (self.serialize(job), job.key),
                )
            conn.execute("COMMIT")
            return row[0]

        previous = await self._run(mark)
        if previous == "queued":
            await self.finish(job, Status.ABORTED, error=error)

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:
        """Claim the next due job; wait for one up to `timeout` seconds (0 waits for ever)."""
        if self._loop is None:
            await self.connect()
        interval = poll_interval or self.poll_interval
        deadline = time.monotonic() + timeout if timeout > 0 else None
        while True:
            self._wake.clear()
            job = await self._claim_safely()
            if job is not None:
                return job
            wait = interval
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                wait = min(wait, remaining)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _claim_safely(self) -> Job | None:
        """Claim, but if the waiting worker is cancelled meanwhile, put the claimed job back."""
        claim = asyncio.ensure_future(self._claim())
        try:
            return await asyncio.shield(claim)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                job = await claim
                if job is not None:
                    await self._run(
                        lambda c: c.execute(
                            "UPDATE saq_jobs SET status = 'queued' WHERE key = ? AND status = 'active'",
                            (job.key,),
                        )
                    )
            raise

    async def _claim(self) -> Job | None:
        started = now()

        def claim(conn: sqlite3.Connection) -> Job | None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT key, job FROM saq_jobs WHERE queue = ? AND status = 'queued' AND scheduled <= ? "
                    "ORDER BY priority, seq LIMIT 1",
                    (self.name, time.time()),
                ).fetchone()
                if row is None:
                    conn.execute("ROLLBACK")
                    return None
                job = self.deserialize(row[1], Status.ACTIVE)
                assert job is not None
                job.started = job.touched = started
                conn.execute(
                    "UPDATE saq_jobs SET status = 'active', job = ? WHERE key = ?",
                    (self.serialize(job), row[0]),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return job

        return await self._run(claim)

    async def _retry(self, job: Job, error: str | None) -> None:
        delay = job.next_retry_delay()
        job.scheduled = int(time.time() + delay) if delay else job.scheduled
        await self.update(job, status=Status.QUEUED, expire_at=None)

    async def _finish(
        self, job: Job, status: Status, *, result: t.Any = None, error: str | None = None
    ) -> None:
        if job.ttl >= 0:
            expire_at = time.time() + job.ttl if job.ttl > 0 else None
            await self.update(job, status=status, expire_at=expire_at)
        else:
            await self._run(lambda c: c.execute("DELETE FROM saq_jobs WHERE key = ?", (job.key,)))

    async def sweep(self, lock: int = 60, abort: float = 5.0) -> list[str]:
        """Drop expired results and worker rows; abort, then retry or fail, jobs whose lease lapsed."""
        current = time.time()

        def expire_and_scan(conn: sqlite3.Connection) -> list[tuple[str, str]]:
            conn.execute(
                "DELETE FROM saq_jobs WHERE queue = ? AND status IN ('aborted', 'complete', 'failed') "
                "AND expire_at IS NOT NULL AND expire_at <= ?",
                (self.name, current),
            )
            conn.execute("DELETE FROM saq_workers WHERE expire_at < ?", (current,))
            return conn.execute(
                "SELECT job, status FROM saq_jobs WHERE queue = ? AND status IN ('active', 'aborting')",
                (self.name,),
            ).fetchall()

        swept = []
        for payload, status in await self._run(expire_and_scan):
            job = self.deserialize(payload, Status(status))
            if job is None or not job.stuck:
                continue
            swept.append(job.key)
            log.warning("sweeping %s: its worker stopped heartbeating", job.key)
            if job.retryable:
                await self.retry(job, error=self.swept_error_message)
            else:
                await self.finish(job, Status.ABORTED, error=self.swept_error_message)
        return swept

    async def write_worker_info(self, worker_id: str, info: WorkerInfo, ttl: int) -> None:
        payload = json.dumps(info)
        await self._run(
            lambda c: c.execute(
                "INSERT INTO saq_workers (worker_id, queue, info, expire_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (worker_id) DO UPDATE SET info = excluded.info, expire_at = excluded.expire_at",
                (worker_id, self.name, payload, time.time() + ttl),
            )
        )


class SqliteFollower:
    """Wakes on this process's writes at once, and on other processes' commits within `poll_interval`."""

    def __init__(self, queue: SqliteQueue) -> None:
        self.queue = queue
        self.changed = asyncio.Event()
        self._version: int | None = None

    async def start(self) -> None:
        """Note where the file stands before the caller's first read, so no later commit is missed."""
        self._version = await self.queue.data_version()

    async def wait(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if self._version is None:
            await self.start()
        while not self.changed.is_set():
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(self.queue.poll_interval, remaining))
            version = await self.queue.data_version()
            if version != self._version:
                self._version = version
                break
        self.changed.clear()

    async def close(self) -> None:
        self.queue._followers.discard(self)
