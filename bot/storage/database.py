"""The bot's SQLite database through sqlite-utils, used only from one dedicated thread.

Every call goes through `Database.run`, which hands a function to a single worker thread that owns
the connection: the event loop never waits on SQLite, and writes are serialised without lock errors.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from bot.storage.checkpoints import BackgroundCheckpointer
from bot.storage.migrations import apply_migrations

log = logging.getLogger(__name__)
T = TypeVar("T")

BUSY_TIMEOUT_MS = 5000


def connect(path: Path) -> sqlite3.Connection:
    """A connection with WAL, a busy timeout and foreign keys; autocommit mode, explicit transactions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Database:
    """Owns one connection on one thread; `await db.run(fn, ...)` calls `fn(sqlite_utils.Database, ...)`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        self._db: sqlite_utils.Database | None = None
        self._checkpointer: BackgroundCheckpointer | None = None

    def _open(self) -> int:
        conn = connect(self.path)
        version = apply_migrations(conn)
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # checkpoints run beside the writer (checkpoints.py)
        self._db = sqlite_utils.Database(conn)
        self._checkpointer = BackgroundCheckpointer(self.path, connect)
        self._checkpointer.start()
        return version

    async def start(self) -> int:
        version = await asyncio.get_running_loop().run_in_executor(self._executor, self._open)
        log.info("database %s at schema version %d", self.path, version)
        return version

    def run_sync(self, fn: Callable[..., T], *args: object) -> T:
        """For synchronous callers (CLI tools): same thread, same connection."""
        return self._executor.submit(self._call, fn, *args).result()

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, fn, *args)

    def _call(self, fn: Callable[..., T], *args: object) -> T:
        if self._db is None:
            self._open()
        assert self._db is not None
        return fn(self._db, *args)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=True)

    def close_sync(self) -> None:
        self._executor.submit(self._close).result()
        self._executor.shutdown(wait=True)

    def _close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        if self._db is not None:
            self._db.conn.close()
            self._db = None


async def open_database(path: Path) -> Database:
    db = Database(path)
    await db.start()
    return db


def backup(source: Path, target: Path) -> int:
    """A consistent copy of a live database with SQLite's online backup API; returns its page count."""
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        pages = dst.execute("PRAGMA page_count").fetchone()[0]
    finally:
        dst.close()
        src.close()
    return pages
