"""GPU benchmark and checks, run in one go on a GPU machine (`bench/gpu_device.sh` calls this).

`python -m bench.gpu --out DIR [--runs N]` measures, writing DIR/gpu.json after every phase (so a
run cut short still leaves what it measured) and DIR/gpu.md at the end:

- env: the GPU, torch, bwrap, MPS; the doctor's GPU checks (executor/cuda_checks.py).
- plain / ready / mps: warm `Sandbox.run` latency (p50/p95) of a `pass` job and a small training
  demo, on CPU and CUDA: without CUDA-ready spares or fence, with the spares, and with spares and
  the MPS fence (production); where each job's time goes (the job's trace); what the spare prepared.
- cold: a fresh sandboxed interpreter per CUDA job (no pool at all).
- queue: a demo submitted through the SQLite queue to an in-process worker, request to result.
- fence tests (in the mps phase): two concurrent jobs, one past the cap (expect memory_limit), one
  within (expect ok); a job that tries to lift the cap; a lazy-CUDA job; a subprocess past MPS.

Without a GPU every phase still runs (CUDA jobs run on the CPU and say so; the fence phase says
there is no fence), which is how this script is tested before it meets a GPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import percentile
from executor.fsview import FsView, interpreter_layout, job_env
from executor.host import probe
from executor.protocol import Limits, RunResult, RunSpec
from executor.sandbox import Sandbox

log = logging.getLogger("bench.gpu")

TRAIN = """
import torch
torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
x = torch.randn(64, 10, device=device)
y = x.sum(dim=1, keepdim=True)
model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(5):
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"loss {loss.item():.4f} on {device}")
"""
PASS = "pass"

OVER_CAP = """
import torch
x = torch.ones(1 << 20, device="cuda")
t = torch.empty(20 << 30, dtype=torch.uint8, device="cuda")  # 20 GiB, past a 16 GiB cap
print("allocated 20 GiB: no cap held")
"""
WITHIN_CAP = """
import time, torch
x = torch.full((1 << 30,), 7, dtype=torch.uint8, device="cuda")  # 1 GiB
time.sleep(4)  # still holding it while the other job runs past its cap
assert int(x.sum()) == 7 << 30
print("within the cap: fine")
"""
LIFT_CAP = """
import os, torch
os.environ["CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"] = "0=100G"  # too late: the context exists
t = torch.empty(20 << 30, dtype=torch.uint8, device="cuda")
print("lifted the cap")
"""
LAZY = """# cuda: lazy
import torch
print("initialised before use:", torch.cuda.is_initialized())
x = torch.ones(1 << 20, device="cuda")
print("lazy job ok:", int(x.sum()), torch.cuda.is_initialized())
"""
SUBPROCESS_BYPASS = """
import subprocess, sys
code = "import torch; t = torch.empty(20 << 30, dtype=torch.uint8, device='cuda'); print('child allocated 20 GiB')"
proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
print("child exit", proc.returncode, proc.stdout.strip(), proc.stderr.strip()[-300:])
"""
SPARE_MEMORY = """
import torch
free, total = torch.cuda.mem_get_info()
print(f"GPU used {(total - free) / 2**20:.0f} MiB of {total / 2**30:.1f} GiB; this job's allocator holds"
      f" {torch.cuda.memory_reserved() / 2**20:.0f} MiB")
"""

TRACE_RE = re.compile(r"job \S+ trace: (.*)")


class TraceCatcher(logging.Handler):
    """Collects the per-job traces JobRun logs at debug level: mark -> ms since the job began."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.traces: list[dict[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = TRACE_RE.match(record.getMessage())
        if match:
            marks = dict(part.split("+") for part in match.group(1).split())
            self.traces.append({k: float(v.removesuffix("ms")) for k, v in marks.items()})


CATCHER = TraceCatcher()

# Consecutive marks of a job's trace and what the time between them is.
SEGMENTS = (
    ("begun", "submitted", "host: pipes and code"),
    ("submitted", "init", "pool hands the job to its spare"),
    ("init", "go", "spare: limits and mounts"),
    ("go", "ready", "job process: confine, device, script"),
    ("ready", "exited", "the code itself"),
    ("exited", "reported", "kill, artifacts, report"),
    ("reported", "collected", "host reads the report"),
)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {"p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "n": len(values)}


def trace_split(traces: list[dict[str, float]]) -> dict[str, float]:
    """p50 of each segment, in ms."""
    split = {}
    for start, end, what in SEGMENTS:
        values = [t[end] - t[start] for t in traces if start in t and end in t]
        if values:
            split[what] = round(percentile(values, 0.5), 1)
    return split


def timed_runs(
    sandbox: Sandbox, code: str, device: str, runs: int, *, wait_ready: bool, framework: str = "torch"
) -> dict[str, Any]:
    """Warm runs, end to end as the caller sees them; the first (the pool's first spare) is dropped."""
    times, last = [], None
    first = len(CATCHER.traces)
    for i in range(runs + 1):
        if wait_ready and device == "cuda" and sandbox.spare_prepare:
            sandbox.pool(framework).wait_prepared_spare(30)
        started = time.perf_counter()
        result = sandbox.run(RunSpec(code, framework=framework, device=device, limits=Limits(wall_s=20)))
        elapsed = time.perf_counter() - started
        if result.status != "ok":
            raise RuntimeError(f"{device} job failed: {result.status} {result.stderr[-1500:]}")
        if i:
            times.append(ms(elapsed))
        last = result
    assert last is not None
    return {
        **stats(times),
        "device": last.device,
        "segments_p50_ms": trace_split(CATCHER.traces[first + 1 :]),
        "prepared": last.prepared,
        "stdout": last.stdout.strip()[-200:],
    }


def sandbox_phase(
    label: str, gpu: str | None, *, prepare: str, fence: str, runs: int, fence_tests: bool = False
) -> dict[str, Any]:
    started = time.perf_counter()
    with Sandbox(gpu=gpu, spare_prepare=prepare, gpu_fence=fence, ready_timeout_s=300) as sandbox:
        sandbox.warm(["torch"])
        out: dict[str, Any] = {
            "label": label,
            "fenced": sandbox.fence.fenced,
            "gpu": sandbox.gpu,
            "fence": sandbox.fence.describe(),
            "spare_prepare": sandbox.spare_prepare,
            "pool_start_s": round(time.perf_counter() - started, 2),
        }
        if fence_tests:  # first: the check that matters most if the run is cut short
            out["fence_tests"] = fence_tests_in(sandbox)
        for name, code, device in (
            ("pass_cpu", PASS, "cpu"),
            ("pass_cuda", PASS, "cuda"),
            ("train_cpu", TRAIN, "cpu"),
            ("train_cuda", TRAIN, "cuda"),
        ):
            out[name] = timed_runs(sandbox, code, device, runs, wait_ready=True)
            log.info("%s %s: %s", label, name, {k: out[name].get(k) for k in ("p50", "p95", "device")})
        # Back to back, not waiting for the next spare: a burst, where a spare may still be preparing.
        out["train_cuda_burst"] = timed_runs(sandbox, TRAIN, "cuda", runs, wait_ready=False)
        if sandbox.gpu:
            out["gpu_memory"] = sandbox.run(
                RunSpec(SPARE_MEMORY, framework="torch", device="cuda")
            ).output.strip()
            if not sandbox.fence.fenced:
                # No fence: nothing stops one job from taking 20 GiB (or the whole card).
                result = sandbox.run(RunSpec(OVER_CAP, framework="torch", device="cuda"))
                out["unfenced_20gib"] = {"status": str(result.status), "output": result.output.strip()[-300:]}
        out["queue"] = asyncio.run(queue_phase(sandbox, gpu, runs))
        out["fence_after"] = sandbox.fence.describe()
    return out


class _Shared:
    """The worker under test uses this sandbox without closing it (the phase closes it)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def close(self) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sandbox, name)


async def queue_phase(sandbox: Sandbox, gpu: str | None, runs: int) -> dict[str, Any]:
    """A small demo through the embedded SQLite queue to an in-process worker, as /demo sends it."""
    from executor.client import ClientLimits, ExecutorClient
    from executor.demos import load_demo
    from executor.jobs import Job
    from executor.worker import ExecutorWorker, WorkerConfig

    code, framework, wall_s = load_demo("autograd-basics")
    tmp = Path(tempfile.mkdtemp(prefix="bench-gpu-queue-"))
    url = f"sqlite:///{tmp / 'queue.db'}"
    namespace = f"benchgpu{uuid.uuid4().hex[:6]}-"
    device = f"cuda:{gpu}" if gpu else "cpu"
    worker = ExecutorWorker(
        WorkerConfig(queue_url=url, namespace=namespace, name="bench-gpu", device=device, warm=()),
        sandbox=_Shared(sandbox),  # type: ignore[arg-type]
    )
    await worker.start()
    client = ExecutorClient(url, ClientLimits(pickup_deadline_s=120), namespace=namespace)
    await client.connect()
    latencies, run_s, last = [], [], None
    try:
        for i in range(runs + 2):
            if sandbox.spare_prepare and gpu:
                await asyncio.to_thread(sandbox.pool(framework).wait_prepared_spare, 30)
            job = Job(
                id=uuid.uuid4().hex,
                code=code,
                framework=framework,
                device="cuda" if gpu else "cpu",
                limits=Limits(wall_s=wall_s),
                requester=uuid.uuid4().hex,
                demo="autograd-basics",
            )
            started = time.perf_counter()
            result = await client.run(job, timeout=120)
            if result.status != "ok":
                raise RuntimeError(f"queue job failed: {result.status} {result.result.stderr[-1500:]}")
            if i >= 2:
                latencies.append(ms(time.perf_counter() - started))
                run_s.append(ms(result.run_s))
            last = result
    finally:
        await client.close()
        await worker.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        **stats(latencies),
        "sandbox_run_p50": percentile(run_s, 0.5) if run_s else None,
        "device": last.result.device if last else None,
    }


def cold_phase(gpu: str | None, runs: int) -> dict[str, Any]:
    """A fresh interpreter per job in the same bubblewrap view (snekbox style), CUDA visible."""
    host = probe()
    python = sys.executable
    bindir, _ = interpreter_layout(python)
    state = Path(tempfile.mkdtemp(prefix="bench-gpu-cold-"))
    try:
        view = FsView(host.bwrap, python, state, gpus=host.gpus if gpu else ())
        env = job_env(bindir, {"PYTHONUNBUFFERED": "1", "CUDA_VISIBLE_DEVICES": gpu or ""})
        times, out = [], ""
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.run(
                view.command([python, "-c", TRAIN], env),
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            times.append(ms(time.perf_counter() - started))
            out = proc.stdout.strip() or proc.stderr.strip()[-500:]
            if proc.returncode != 0:
                raise RuntimeError(f"cold run failed: {out}")
        return {**stats(times), "stdout": out}
    finally:
        shutil.rmtree(state, ignore_errors=True)


def run_job(sandbox: Sandbox, code: str, results: dict[str, RunResult], key: str, wall_s: float = 20) -> None:
    results[key] = sandbox.run(RunSpec(code, framework="torch", device="cuda", limits=Limits(wall_s=wall_s)))


def brief(result: RunResult) -> dict[str, Any]:
    return {
        "status": str(result.status),
        "exit_code": result.exit_code,
        "stdout": result.stdout.strip()[-300:],
        "stderr_tail": result.stderr.strip()[-500:],
        "device": result.device,
    }


def fence_tests_in(sandbox: Sandbox) -> dict[str, Any]:
    """The cap with two concurrent jobs (one past it, one within); attempts to get around it."""
    if not sandbox.gpu:
        return {"skipped": "no GPU on this machine"}
    out: dict[str, Any] = {"fence": sandbox.fence.describe()}
    results: dict[str, RunResult] = {}
    within = threading.Thread(target=run_job, args=(sandbox, WITHIN_CAP, results, "within"))
    over = threading.Thread(target=run_job, args=(sandbox, OVER_CAP, results, "over"))
    within.start()
    sandbox.pool("torch").wait_prepared_spare(30)
    over.start()
    within.join()
    over.join()
    out["concurrent_over_cap"] = brief(results["over"])
    out["concurrent_within_cap"] = brief(results["within"])
    out["mps_in_spare"] = (results["within"].prepared or {}).get("mps")
    for key, code in (
        ("lift_cap", LIFT_CAP),
        ("lazy_under_mps", LAZY),
        ("subprocess_bypass", SUBPROCESS_BYPASS),
    ):
        run_job(sandbox, code, results, key, wall_s=30)
        out[key] = brief(results[key])
    return out


def env_phase(gpu: str | None) -> dict[str, Any]:
    from executor import cuda_checks

    def sh(*argv: str) -> str:
        try:
            return subprocess.run(
                argv, capture_output=True, text=True, timeout=30, check=False
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"({exc})"

    out: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.release()}",
        "gpu": gpu,
        "nvidia_smi": sh(
            "nvidia-smi", "--query-gpu=name,memory.total,driver_version,compute_mode", "--format=csv,noheader"
        )
        if shutil.which("nvidia-smi")
        else None,
        "mps_control": shutil.which("nvidia-cuda-mps-control"),
        "bwrap": shutil.which("bwrap"),
    }
    try:
        import torch

        out["torch"] = torch.__version__
    except ImportError:
        out["torch"] = None
    out["doctor"] = cuda_checks.gpu_checks() if gpu else []
    return out


def summary(results: dict[str, Any]) -> str:
    """A markdown table of the headline numbers."""
    rows = ["| measurement | p50 ms | p95 ms | device |", "|---|---|---|---|"]

    def row(name: str, data: dict[str, Any] | None) -> None:
        if data and "p50" in data:
            rows.append(f"| {name} | {data['p50']} | {data['p95']} | {data.get('device') or ''} |")

    for label in ("plain", "ready", "mps"):
        phase = results.get(label) or {}
        for key in ("pass_cpu", "pass_cuda", "train_cpu", "train_cuda", "train_cuda_burst", "queue"):
            row(f"{label}: {key}", phase.get(key))
    row("cold sandboxed interpreter, train_cuda", results.get("cold"))
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gpu")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--phases", default="env,mps,ready,plain,cold")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    jobrun_log = logging.getLogger("executor.jobrun")
    jobrun_log.setLevel(logging.DEBUG)
    jobrun_log.addHandler(CATCHER)
    jobrun_log.propagate = False
    args.out.mkdir(parents=True, exist_ok=True)
    gpu = (os.environ.get("CUDA_VISIBLE_DEVICES") or "0") if any(Path("/dev").glob("nvidia[0-9]*")) else None
    phases: dict[str, Callable[[], Any]] = {
        "env": lambda: env_phase(gpu),
        "plain": lambda: sandbox_phase("plain", gpu, prepare="", fence="none", runs=args.runs),
        # CUDA-ready spares without the fence, then both (the production configuration) and its tests.
        "ready": lambda: sandbox_phase(
            "ready", gpu, prepare="cuda" if gpu else "record", fence="none", runs=args.runs
        ),
        "mps": lambda: sandbox_phase(
            "mps", gpu, prepare="cuda" if gpu else "record", fence="auto", runs=args.runs, fence_tests=True
        ),
        "cold": lambda: cold_phase(gpu, args.cold_runs),
    }
    results: dict[str, Any] = {}
    for name in args.phases.split(","):
        log.info("phase %s", name)
        started = time.perf_counter()
        try:
            results[name] = phases[name]()
        except Exception:
            results[name] = {"error": traceback.format_exc()[-3000:]}
            log.exception("phase %s failed", name)
        results.setdefault("phase_seconds", {})[name] = round(time.perf_counter() - started, 1)
        (args.out / "gpu.json").write_text(json.dumps(results, indent=1, default=str))
    table = summary(results)
    (args.out / "gpu.md").write_text(table)
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
