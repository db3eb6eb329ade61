"""The bot's side of the executor: a queue client and, for one-machine setups, an in-process worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.settings import Settings
from executor.client import ExecutorClient

log = logging.getLogger(__name__)


class CodeRunner:
    """Owns the client and, with the embedded SQLite queue, a worker started in the background.

    Where this host cannot sandbox (no bubblewrap, no user namespaces) the embedded worker is not
    started: `unavailable` says why (`executor.host` problem code) and /demo and /run explain it.
    """

    def __init__(self, settings: Settings) -> None:
        self.url = settings.resolved_queue_url
        self.client = ExecutorClient(self.url)
        self._embedded = settings.embedded_worker and self.url.startswith("sqlite:///")
        self._worker = None
        self._worker_start: asyncio.Task | None = None
        self.mode: str | None = None  # the embedded sandbox's mode; None with remote workers
        self.unavailable: str | None = None  # "no-bwrap" | "no-userns" | "failed": nothing runs code
        self.limits_problem: str = ""  # why the embedded sandbox has no cgroup limits, if it has none

    async def start(self) -> None:
        await self.client.connect()
        if self._embedded:
            from executor.host import SandboxUnavailable, detect
            from executor.worker import ExecutorWorker, WorkerConfig

            host = await asyncio.to_thread(detect)
            self.mode = host.mode
            if host.mode == "none":
                self.unavailable = host.problem or "no-bwrap"
                log.warning("code execution is unavailable on this host: %s", host.reason)
                return
            try:
                self._worker = await asyncio.to_thread(
                    ExecutorWorker,
                    WorkerConfig(queue_url=self.url, concurrency=2, name="embedded", grace_s=5.0),
                )
            except (SandboxUnavailable, OSError) as exc:  # e.g. no temp dir, a bubblewrap that breaks
                self.unavailable = "failed"
                log.error("code execution is unavailable: the sandbox did not start: %s", exc)
                return
            sandbox = self._worker.sandbox
            if sandbox.cgroups is None:
                self.limits_problem = sandbox.cgroup_problem
            self._worker_start = asyncio.create_task(self._worker.start(), name="embedded-worker-start")
            log.info("embedded executor worker starting on %s", self.url)

    async def close(self) -> None:
        if self._worker_start is not None:
            with contextlib.suppress(Exception):
                await self._worker_start
        if self._worker is not None:
            await self._worker.stop()
        await self.client.close()
