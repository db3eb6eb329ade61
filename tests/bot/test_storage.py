import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot.storage.database import Database, backup
from bot.storage.migrations import MIGRATIONS, Migration, apply_migrations


async def test_migrations_apply_once_and_wal_is_on(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    assert await db.start() == MIGRATIONS[-1].version
    await db.close()
    db = Database(tmp_path / "a.db")
    assert await db.start() == MIGRATIONS[-1].version
    mode = await db.run(lambda d: d.execute("PRAGMA journal_mode").fetchone()[0])
    rows = await db.run(lambda d: d.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0])
    await db.close()
    assert mode == "wal"
    assert rows == len(MIGRATIONS)


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    broken = (*MIGRATIONS, Migration(999, "broken", "CREATE TABLE x (a); CREATE TABLE x (a)"))
    with pytest.raises(sqlite3.OperationalError):
        apply_migrations(conn, broken)
    version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert version == MIGRATIONS[-1].version
    assert "x" not in tables


async def test_database_calls_run_off_the_event_loop(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.db")
    await db.start()
    loop_thread = threading.current_thread().name
    name = await db.run(lambda d: threading.current_thread().name)
    await db.close()
    assert name != loop_thread
    assert name.startswith("sqlite")


async def test_concurrent_writes_lose_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "d.db")
    await db.start()

    def insert(d, user_id: int) -> None:
        d.execute("INSERT INTO members (user_id, language) VALUES (?, 'en')", [user_id])

    await asyncio.gather(*(db.run(insert, i) for i in range(200)))
    count = await db.run(lambda d: d.execute("SELECT COUNT(*) FROM members").fetchone()[0])
    await db.close()
    assert count == 200


async def test_backup_is_a_consistent_copy_while_writes_continue(tmp_path: Path) -> None:
    source = tmp_path / "live.db"
    db = Database(source)
    await db.start()

    def insert(d, user_id: int) -> None:
        d.execute("INSERT INTO members (user_id) VALUES (?)", [user_id])

    for i in range(50):
        await db.run(insert, i)
    writer = asyncio.gather(*(db.run(insert, 1000 + i) for i in range(100)))
    pages = await asyncio.to_thread(backup, source, tmp_path / "copy.db")
    await writer
    await db.close()
    assert pages > 0
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = copy.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    copy.close()
    assert 50 <= count <= 150


async def test_checkpoints_run_beside_the_writer_and_keep_the_wal_small(tmp_path: Path) -> None:
    db = Database(tmp_path / "w.db")
    await db.start()
    auto = await db.run(lambda d: d.execute("PRAGMA wal_autocheckpoint").fetchone()[0])

    def insert(d, user_id: int) -> None:
        d.execute("INSERT INTO members (user_id, language) VALUES (?, 'en')", [user_id])

    for i in range(3000):
        await db.run(insert, i)
    await db.close()
    wal = tmp_path / "w.db-wal"
    assert auto == 0
    assert not wal.exists() or wal.stat().st_size == 0  # the last TRUNCATE checkpoint emptied it
    conn = sqlite3.connect(tmp_path / "w.db")
    assert conn.execute("SELECT COUNT(*) FROM members").fetchone()[0] == 3000
    conn.close()
