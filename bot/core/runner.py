"""The bot's side of the executor: a queue client and, for one-machine setups, an in-process worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from bot.settings import Settings
from executor.client import ExecutorClient

if TYPE_CHECKING:
    from executor.worker import ExecutorWorker

log = logging.getLogger(__name__)


class CodeRunner:
    """Owns the client and, with the embedded SQLite queue, a worker started in the background."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.resolved_queue_url
        self.client = ExecutorClient(self.url)
        self._embedded = settings.embedded_worker and self.url.startswith("sqlite:///")
        self._worker: ExecutorWorker | None = None
        self._worker_start: asyncio.Task | None = None

    async def start(self) -> None:
        await self.client.connect()
        if self._embedded:
            from executor.worker import ExecutorWorker, WorkerConfig

            worker = ExecutorWorker(
                WorkerConfig(queue_url=self.url, concurrency=2, name="embedded", grace_s=5.0)
            )
            self._worker = worker
            self._worker_start = asyncio.create_task(worker.start(), name="embedded-worker-start")
            log.info("embedded executor worker starting on %s", self.url)

    async def close(self) -> None:
        if self._worker_start is not None:
            with contextlib.suppress(Exception):
                await self._worker_start
        if self._worker is not None:
            await self._worker.stop()
        await self.client.close()
