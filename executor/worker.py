"""An executor worker: takes jobs from a queue (SQLite or Redis, through SAQ) and runs them sandboxed.

One code path for both backends: `saq.Worker` does pickup, timeouts, aborts and sweeping; this
module adds the sandbox, a heartbeat while a job runs, a graceful stop and a health endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aiohttp import web
from saq import Worker
from saq.job import Job as SaqJob

from executor.gpu_fence import DEFAULT_CAP_GIB
from executor.jobs import Job, JobResult, collect_files
from executor.queue import DEFAULT_NAMESPACE, open_queue, queue_name
from executor.sandbox import Sandbox

log = logging.getLogger(__name__)

HEARTBEAT_S = 6  # a running job's lease: swept when its worker is silent this long
SWEEP_S = 2
TIMEOUT_MARGIN_S = 30
MAX_PREPARED_SPARES = 4  # CUDA-ready spares kept by a GPU worker: one per concurrent job, at most this  # SAQ's own timeout sits above the sandbox's wall limit


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    queue_url: str
    concurrency: int = 1
    device: str = "cpu"  # "cpu" or "cuda:N"
    name: str = field(default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}")
    health_port: int | None = None  # None: no endpoint; 0: any free port
    grace_s: float = 60.0
    namespace: str = DEFAULT_NAMESPACE
    warm: tuple[str, ...] = ("torch", "python")
    # A GPU worker also takes jobs from the cpu queue: a job routed there while this worker was still
    # starting (no GPU worker registered yet) is run instead of lost. Its CPU jobs run on the CPU.
    serve_cpu: bool = True
    gpu_memory_cap_gib: float = DEFAULT_CAP_GIB  # per CUDA job (executor/gpu_fence.py)
    gpu_fence: str = "auto"  # "auto" (MPS where available), "mps" or "none"

    @property
    def queue_name(self) -> str:
        return queue_name("gpu" if self.device.startswith("cuda") else "cpu", self.namespace)

    @property
    def sandbox_device(self) -> str:
        return "cuda" if self.device.startswith("cuda") else "cpu"

    @property
    def gpu_index(self) -> str | None:
        if not self.device.startswith("cuda"):
            return None
        return self.device.partition(":")[2] or "0"


def _remove_artifacts(artifacts: list) -> None:
    """The bytes travel in the result; the worker keeps no copies."""
    for artifact in artifacts:
        with contextlib.suppress(OSError):
            Path(artifact.path).unlink()


class _QuietWorker(Worker):
    """SAQ's worker without its own signal handlers: the process that embeds it decides."""

    SIGNALS: list[Any] = []  # noqa: RUF012 - overrides SAQ's class attribute

    async def upkeep(self) -> list[asyncio.Task[None]]:
        self.upkeep_tasks = await super().upkeep()
        return self.upkeep_tasks

    def stop_upkeep(self) -> None:
        """End the upkeep loops now: they sleep up to a timer period (5 s) before they look at the
        stop event, longer than an embedded worker's grace, and SAQ then warns that tasks were left."""
        for task in getattr(self, "upkeep_tasks", ()):
            task.cancel()


@dataclass
class Metrics:
    started: float = field(default_factory=time.time)
    completed: int = 0
    failed: int = 0
    running: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def record(self, status: str) -> None:
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if status == "ok":
            self.completed += 1
        else:
            self.failed += 1


class ExecutorWorker:
    def __init__(self, config: WorkerConfig, sandbox: Sandbox | None = None) -> None:
        self.config = config
        if config.gpu_index is not None:
            os.environ["CUDA_VISIBLE_DEVICES"] = config.gpu_index
        self.sandbox = sandbox or Sandbox(
            gpu_memory_cap_gib=config.gpu_memory_cap_gib,
            gpu_fence=config.gpu_fence,
            prepared_spares=min(config.concurrency, MAX_PREPARED_SPARES),
        )
        if config.concurrency > self.sandbox.max_jobs:
            # Rootless: one job at a time. Taking more from the queue would only make them wait here,
            # on the clock of SAQ's timeout, instead of in the queue where other workers see them.
            log.warning(
                "worker %s: concurrency %d lowered to %d, what this sandbox runs at once",
                config.name,
                config.concurrency,
                self.sandbox.max_jobs,
            )
            config = replace(config, concurrency=self.sandbox.max_jobs)
            self.config = config
        from executor.doctor import summary

        log.info(
            "worker %s: %s (python -m executor doctor checks it all)", config.name, summary(self.sandbox)
        )
        self.queue = open_queue(config.queue_url, config.queue_name)
        self.metrics = Metrics()
        self.saq = _QuietWorker(
            self.queue,
            functions=[("run_job", self.run_job)],
            id=config.name,
            concurrency=config.concurrency,
            timers={"sweep": SWEEP_S, "abort": 1, "worker_info": 5, "schedule": 1},
            metadata={"device": config.device, "name": config.name, "gpu_fence": self.gpu_fence()},
            # On stop, SAQ waits this long for running jobs, then cancels them (they return to the queue).
            # Idle pickers give up within dequeue_timeout, so an idle worker stops in a few seconds.
            shutdown_grace_period_s=max(1, int(config.grace_s)),
            dequeue_timeout=1.0,
        )
        self.cpu_saq: _QuietWorker | None = None
        if config.device.startswith("cuda") and config.serve_cpu:
            cpu_queue = open_queue(config.queue_url, queue_name("cpu", config.namespace))
            self.cpu_saq = _QuietWorker(
                cpu_queue,
                functions=[("run_job", self.run_cpu_job)],
                id=f"{config.name}-cpu",
                concurrency=config.concurrency,
                timers={"sweep": SWEEP_S, "abort": 1, "worker_info": 5, "schedule": 1},
                metadata={"device": "cpu", "name": config.name},
                shutdown_grace_period_s=max(1, int(config.grace_s)),
                dequeue_timeout=1.0,
            )
        self._health: web.AppRunner | None = None
        self.health_url: str | None = None

    def gpu_fence(self) -> str:
        """The GPU memory fence in words ("" on a CPU worker)."""
        fence = getattr(self.sandbox, "fence", None)
        return fence.describe() if fence is not None and self.config.gpu_index is not None else ""

    async def run_job(self, ctx: dict[str, Any], *, job: dict[str, Any]) -> dict[str, Any]:
        """SAQ's job function: run one Job in the sandbox while heartbeating its lease."""
        return await self._run(ctx, job, self.config.sandbox_device)

    async def run_cpu_job(self, ctx: dict[str, Any], *, job: dict[str, Any]) -> dict[str, Any]:
        """The same for jobs a GPU worker takes from the cpu queue."""
        return await self._run(ctx, job, "cpu")

    async def _run(self, ctx: dict[str, Any], job: dict[str, Any], device: str) -> dict[str, Any]:
        saq_job: SaqJob = ctx["job"]
        spec_job = Job.from_dict(job)
        waited = max(0.0, (saq_job.started - saq_job.queued) / 1000) if saq_job.queued else 0.0
        await saq_job.update(meta={**(saq_job.meta or {}), "device": device, "worker": self.config.name})
        cancel = threading.Event()
        heartbeat = asyncio.create_task(self._heartbeat(saq_job))
        run = asyncio.ensure_future(asyncio.to_thread(self.sandbox.run, spec_job.spec(device), cancel))
        self.metrics.running += 1
        started = time.perf_counter()
        try:
            result = await asyncio.shield(run)
        except asyncio.CancelledError:
            cancel.set()  # aborted or shutting down: stop the sandboxed child, then let SAQ record it
            with contextlib.suppress(Exception):
                await run
            raise
        finally:
            self.metrics.running -= 1
            heartbeat.cancel()
        run_s = time.perf_counter() - started
        self.metrics.record(str(result.status))
        files = collect_files([(a.name, a.path) for a in result.artifacts])
        _remove_artifacts(result.artifacts)
        return JobResult(
            job_id=spec_job.id,
            result=dataclasses.replace(result, artifacts=[]),  # the files travel once, as bytes
            queue_wait_s=round(waited, 4),
            worker=self.config.name,
            attempts=saq_job.attempts,
            files=files,
            run_s=round(run_s, 4),
        ).to_dict()

    @staticmethod
    async def _heartbeat(saq_job: SaqJob) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S / 3)
            try:
                await saq_job.update()
            except Exception:
                log.exception("heartbeat for %s failed", saq_job.key)

    async def start(self) -> None:
        """Register and start serving at once; warm the framework pools in the background."""
        await self.queue.connect()
        await self.saq.worker_info(
            ttl=self.saq.timers["worker_info"] + 1
        )  # visible to clients before any job
        if self.config.health_port is not None:
            await self._start_health(self.config.health_port)
        self._task = asyncio.create_task(self.saq.start(), name=f"worker-{self.config.name}")
        self._cpu_task = None
        if self.cpu_saq is not None:
            await self.cpu_saq.queue.connect()
            await self.cpu_saq.worker_info(ttl=self.cpu_saq.timers["worker_info"] + 1)
            self._cpu_task = asyncio.create_task(self.cpu_saq.start(), name=f"worker-{self.config.name}-cpu")
        self._warming = (
            asyncio.create_task(asyncio.to_thread(self.sandbox.warm, self.config.warm))
            if self.config.warm
            else None
        )
        log.info(
            "worker %s serving queue %r on %s%s",
            self.config.name,
            self.config.queue_name,
            self.config.device,
            " (and the cpu queue)" if self.cpu_saq is not None else "",
        )

    async def warmed(self) -> None:
        """Wait until the pools are warm (benchmarks measure warm runs)."""
        if self._warming is not None:
            await self._warming

    async def stop(self) -> None:
        """Stop taking jobs, let running ones finish for up to grace_s, return the rest to the queue."""
        log.info("worker %s stopping", self.config.name)
        self.saq.event.set()  # SAQ's start() now runs its graceful stop
        self.saq.stop_upkeep()
        if self.cpu_saq is not None:
            self.cpu_saq.event.set()
            self.cpu_saq.stop_upkeep()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if self.cpu_saq is not None and self._cpu_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._cpu_task
            await self.cpu_saq.queue.disconnect()
        if self._health is not None:
            await self._health.cleanup()
        await self.queue.disconnect()
        await asyncio.to_thread(self.sandbox.close)  # also ends a warm-up still under way
        if self._warming is not None:
            with contextlib.suppress(Exception):
                await self._warming

    async def _start_health(self, port: int) -> None:
        app = web.Application()
        app.router.add_get("/health", self._health_handler)
        app.router.add_get("/metrics", self._metrics_handler)
        self._health = web.AppRunner(app, access_log=None)
        await self._health.setup()
        site = web.TCPSite(self._health, "127.0.0.1" if port == 0 else "0.0.0.0", port)
        await site.start()
        sockets = site._server.sockets if site._server else []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.health_url = f"http://127.0.0.1:{bound}"
        log.info("health endpoint on %s/health", self.health_url)

    async def _health_handler(self, request: web.Request) -> web.Response:
        healthy = not self.saq.event.is_set()
        return web.json_response(
            {"ok": healthy, "worker": self.config.name, "queue": self.config.queue_name},
            status=200 if healthy else 503,
        )

    async def _metrics_handler(self, request: web.Request) -> web.Response:
        m = self.metrics
        lines = [
            f'backprop_worker_jobs_total{{status="{status}"}} {count}'
            for status, count in sorted(m.by_status.items())
        ]
        lines += [
            f"backprop_worker_running {m.running}",
            f"backprop_worker_uptime_seconds {time.time() - m.started:.0f}",
        ]
        return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")
