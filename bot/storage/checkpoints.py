"""WAL checkpoints beside the writer instead of inside its commits.

SQLite checkpoints automatically inside the COMMIT that pushes the WAL past 1,000 pages; that commit
copies the log into the database file and syncs it, and one answer in a hundred pays for the rest
(the p99 of recording an answer). With automatic checkpoints off on the bot's connection, a second
connection runs PASSIVE checkpoints every half second: they never block the writer and skip any
page a reader still needs.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

CHECKPOINT_EVERY_S = 0.5


class BackgroundCheckpointer:
    def __init__(self, path: Path, connect, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self.path = path
        self._connect = connect
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="wal-checkpoint", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop and run one last full checkpoint, so the WAL does not outgrow a quiet database."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _loop(self) -> None:
        conn = self._connect(self.path)
        try:
            while not self._stop.wait(self.every_s):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            log.exception("background WAL checkpoint failed")
        finally:
            conn.close()
