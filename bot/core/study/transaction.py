"""One write transaction for several statements: BEGIN IMMEDIATE takes the write lock up front.

The bot's connection is in autocommit mode (bot/storage/database.py). A study write touches several
tables; doing it in one IMMEDIATE transaction makes it all-or-nothing and, when another process (a
worker, a script) writes to the same file, makes the second writer wait on the busy timeout instead of
failing half-way or losing an update between its read and its write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """A write transaction; when one is already open (a caller composing writes) it joins that one."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
