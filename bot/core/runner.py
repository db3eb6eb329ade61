"""The bot's side of the executor: a queue client and, for one-machine setups, an in-process worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from bot.settings import Settings
from executor.client import ExecutorClient
from executor.jobs import Job, JobResult

if TYPE_CHECKING:
    from executor.worker import ExecutorWorker

log = logging.getLogger(__name__)

EAGER_WARM = ("torch", "python")


class CodeRunner:
    """Owns the client and, with the embedded SQLite queue, an in-process worker.

    Where this host cannot sandbox (no bubblewrap, no user namespaces) the embedded worker is never
    started: `unavailable` says why (`executor.host` problem code) and /demo and /run explain it.

    `lazy=False` (the Discord bot, a long-lived server) starts the worker at once and warms the
    torch and python pools in the background. `lazy=True` (the console, one person who may only
    ever ask questions) starts the worker on the first code job and warms nothing ahead: that job
    starts only its own framework's pool, so `/help` and `/ask` never pay for torch.
    """

    def __init__(self, settings: Settings, *, lazy: bool = False) -> None:
        self.url = settings.resolved_queue_url
        self.client = ExecutorClient(self.url)
        self._embedded = settings.embedded_worker and self.url.startswith("sqlite:///")
        self._lazy = lazy
        self._worker: ExecutorWorker | None = None
        self._worker_start: asyncio.Task | None = None
        self.mode: str | None = None  # the embedded sandbox's mode; None with remote workers
        self.unavailable: str | None = None  # "no-bwrap" | "no-userns" | "failed": nothing runs code
        self.limits_problem: str = ""  # why the embedded sandbox has no cgroup limits, if it has none

    @property
    def worker_started(self) -> bool:
        return self._worker is not None

    async def start(self) -> None:
        await self.client.connect()
        if not self._embedded:
            return
        from executor.host import detect

        host = await asyncio.to_thread(detect)
        self.mode = host.mode
        if host.mode == "none":
            self.unavailable = host.problem or "no-bwrap"
            log.warning("code execution is unavailable on this host: %s", host.reason)
            return
        if not self._lazy:
            await self._start_worker(EAGER_WARM)

    async def _start_worker(self, warm: tuple[str, ...]) -> None:
        from executor.host import SandboxUnavailable
        from executor.worker import ExecutorWorker, WorkerConfig

        config = WorkerConfig(queue_url=self.url, concurrency=2, name="embedded", grace_s=5.0, warm=warm)
        try:
            self._worker = await asyncio.to_thread(ExecutorWorker, config)
        except (SandboxUnavailable, OSError) as exc:  # e.g. no temp dir, a bubblewrap that breaks
            self.unavailable = "failed"
            log.error("code execution is unavailable: the sandbox did not start: %s", exc)
            return
        sandbox = self._worker.sandbox
        if sandbox.cgroups is None:
            self.limits_problem = sandbox.cgroup_problem
        self._worker_start = asyncio.create_task(self._worker.start(), name="embedded-worker-start")
        log.info("embedded executor worker starting on %s", self.url)

    async def ensure_worker(self) -> None:
        """Start the embedded worker if it waits for its first job (the console); afterwards
        `unavailable` says whether a sandbox could be had."""
        if self._embedded and self._worker is None and self.unavailable is None and self.mode != "none":
            await self._start_worker(())

    async def submit(self, job: Job) -> str:
        """Queue a job, starting the embedded worker first if it waits for its first job."""
        await self.ensure_worker()
        if self._worker_start is not None:
            await asyncio.shield(self._worker_start)
        return await self.client.submit(job)

    async def run(self, job: Job, timeout: float | None = None) -> JobResult:
        """Submit (starting the embedded worker if it waits) and wait for the result: the grader's way."""
        await self.submit(job)
        return await self.client.result(job.id, timeout=timeout)

    async def cancel(self, job_id: str) -> bool:
        return await self.client.cancel(job_id)

    async def close(self) -> None:
        if self._worker_start is not None:
            with contextlib.suppress(Exception):
                await self._worker_start
        if self._worker is not None:
            await self._worker.stop()
        await self.client.close()
