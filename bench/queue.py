"""Queue benchmark: overhead per job on both backends, no-op throughput, and a warm demo end to end.

- Overhead: submit to result, minus the worker's time inside Sandbox.run (`JobResult.run_s`), for
  no-op jobs through an in-process worker, on the embedded SQLite queue and on Redis.
- Throughput: 120 no-op jobs submitted at once, drained by 1 and by 4 workers (sharing one sandbox).
- End to end: a small PyTorch demo submitted through the SQLite queue to a worker running as its
  own process (`python -m executor worker`), with warm pools, as `executor submit` would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

from bench.__main__ import ROOT, stamp
from bench.stats import percentile as pct
from executor.client import ClientLimits, ExecutorClient
from executor.jobs import Job
from executor.protocol import Limits
from executor.sandbox import Sandbox
from executor.worker import ExecutorWorker, WorkerConfig

log = logging.getLogger("bench.queue")

REDIS_URL = "redis://127.0.0.1:6379/0"
RUNS = 50
THROUGHPUT_JOBS = 120
DEMO_RUNS = 30
NOOP = "pass"
TORCH_DEMO = (
    "import torch\n"
    "x = torch.randn(64, 64, requires_grad=True)\n"
    "loss = (x @ x).relu().sum()\n"
    "loss.backward()\n"
    "print('grad norm', round(x.grad.norm().item(), 2), 'device: cpu')\n"
)


def ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def job(code: str, framework: str = "python", requester: str | None = None) -> Job:
    return Job(
        id=uuid.uuid4().hex,
        code=code,
        framework=framework,
        device="cpu",
        limits=Limits(wall_s=30),
        requester=requester or uuid.uuid4().hex,
    )


async def overhead(url: str, sandbox: Sandbox) -> dict[str, float]:
    namespace = f"bench{uuid.uuid4().hex[:8]}-"
    worker = ExecutorWorker(
        WorkerConfig(queue_url=url, namespace=namespace, name="bench", warm=("python",)),
        sandbox=_NoClose(sandbox),
    )
    await worker.start()
    await worker.warmed()
    client = ExecutorClient(url, namespace=namespace)
    await client.connect()
    try:
        for _ in range(5):
            await client.run(job(NOOP), timeout=60)
        latencies, overheads = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = await client.run(job(NOOP), timeout=60)
            latency = time.perf_counter() - started
            assert result.status == "ok", result
            latencies.append(latency)
            overheads.append(latency - result.run_s)
    finally:
        await client.close()
        await worker.stop()
    return {"p50": pct(overheads, 0.5), "p95": pct(overheads, 0.95), "latency_p50": pct(latencies, 0.5)}


async def throughput(url: str, sandbox: Sandbox, workers: int) -> float:
    namespace = f"bench{uuid.uuid4().hex[:8]}-"
    pool = [
        ExecutorWorker(
            WorkerConfig(queue_url=url, namespace=namespace, name=f"bench-{i}", warm=("python",)),
            sandbox=_NoClose(sandbox),
        )
        for i in range(workers)
    ]
    for w in pool:
        await w.start()
    await pool[0].warmed()
    client = ExecutorClient(url, ClientLimits(queue_cap=10_000), namespace=namespace)
    await client.connect()
    try:
        jobs = [job(NOOP) for _ in range(THROUGHPUT_JOBS)]
        started = time.perf_counter()
        for j in jobs:
            await client.submit(j)
        results = await asyncio.gather(*(client.result(j.id, timeout=300) for j in jobs))
        elapsed = time.perf_counter() - started
        assert all(r.status == "ok" for r in results)
    finally:
        await client.close()
        for w in pool:
            await w.stop()
    return THROUGHPUT_JOBS / elapsed


class _NoClose:
    """The benchmark's workers share one sandbox; it is closed once, at the end."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def close(self) -> None:
        return None

    def __getattr__(self, name: str):
        return getattr(self._sandbox, name)


async def demo_end_to_end(tmp: Path) -> dict[str, float]:
    url = f"sqlite:///{tmp / 'e2e.db'}"
    namespace = f"bench{uuid.uuid4().hex[:8]}-"
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "executor",
        "worker",
        "--queue",
        url,
        "--namespace",
        namespace,
        "--warm",
        "torch",
        "--name",
        "e2e",
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = ExecutorClient(url, ClientLimits(pickup_deadline_s=300), namespace=namespace)
    await client.connect()
    try:
        for _ in range(3):  # the first run waits for the torch pool to be warm
            await client.run(job(TORCH_DEMO, "torch"), timeout=300)
        latencies, runs = [], []
        for _ in range(DEMO_RUNS):
            started = time.perf_counter()
            result = await client.run(job(TORCH_DEMO, "torch"), timeout=60)
            latencies.append(time.perf_counter() - started)
            runs.append(result.run_s)
            assert result.status == "ok", result
    finally:
        await client.close()
        worker.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(worker.wait(), 60)
    return {"p50": pct(latencies, 0.5), "p95": pct(latencies, 0.95), "run_p50": pct(runs, 0.5)}


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


async def measure() -> str:
    tmp = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    backends = {"SQLite (embedded)": f"sqlite:///{tmp / 'q.db'}"}
    if redis_available():
        backends["Redis (SAQ)"] = REDIS_URL
    lines = [
        "## Job queue",
        "",
        stamp(),
        "",
        "| backend | queue overhead p50 | p95 | submit-to-result p50 (no-op) | no-op jobs/s, 1 worker "
        "| 4 workers |",
        "|---|---|---|---|---|---|",
    ]
    with Sandbox() as sandbox:
        for name, url in backends.items():
            log.info("overhead on %s", name)
            o = await overhead(url, sandbox)
            log.info("throughput on %s", name)
            one = await throughput(url, sandbox, 1)
            four = await throughput(url, sandbox, 4)
            lines.append(
                f"| {name} | {ms(o['p50'])} | {ms(o['p95'])} | {ms(o['latency_p50'])} | {one:.1f} "
                f"| {four:.1f} |"
            )
    log.info("warm PyTorch demo end to end")
    e2e = await demo_end_to_end(tmp)
    lines += [
        "",
        "Overhead is submit to result minus the worker's time inside `Sandbox.run`, for no-op jobs "
        f"({RUNS} runs after 5 warm-ups, client and worker in one process). Throughput: "
        f"{THROUGHPUT_JOBS} no-op jobs submitted at once; 4 workers share one sandbox on this 2-core machine.",
        "",
        f"Warm PyTorch demo (a 64x64 matmul and backward) through the SQLite queue to a worker running "
        f"as its own process, {DEMO_RUNS} runs: end to end p50 {ms(e2e['p50'])}, p95 {ms(e2e['p95'])} "
        f"(of which the sandbox p50 {ms(e2e['run_p50'])}). Target: p50 <= 150 ms; queue overhead p50 <= 20 ms.",
    ]
    return "\n".join(lines)


def run() -> str:
    return asyncio.run(measure())
