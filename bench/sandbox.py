"""Cold against warm: a fresh sandboxed interpreter per job against a job forked from a warm pool.

Both sides run the same small PyTorch and TensorFlow demos under the same isolation (the same
bubblewrap view; cold is `python -c` in it, as snekbox-style executors do; warm is
`Sandbox.run`). Runs alternate cold, warm, cold, warm..., so both see the same machine load.
Latency is measured end to end by the caller (submit to result). BENCH_SANDBOX_RUNS sets the
number of runs per side (default 50).
"""

from __future__ import annotations

import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.__main__ import stamp
from bench.stats import percentile
from executor.fsview import FsView, interpreter_layout, job_env
from executor.host import probe
from executor.protocol import RunSpec
from executor.sandbox import Sandbox

log = logging.getLogger("bench.sandbox")

TORCH_DEMO = """
import torch
torch.manual_seed(0)
x = torch.randn(64, 10)
y = x.sum(dim=1, keepdim=True)
model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for _ in range(5):
    loss = torch.nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"loss {loss.item():.4f}")
"""

TF_DEMO = """
import tensorflow as tf
tf.random.set_seed(0)
x = tf.random.normal((64, 10))
y = tf.reduce_sum(x, axis=1, keepdims=True)
w = tf.Variable(tf.zeros((10, 1)))
for _ in range(5):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(x @ w - y))
    w.assign_sub(0.1 * tape.gradient(loss, w))
print(f"loss {float(loss):.4f}")
"""

DEMOS = {"torch": TORCH_DEMO, "tensorflow": TF_DEMO}
TARGETS_MS = {"torch": 100.0, "tensorflow": 250.0}


@dataclass(frozen=True, slots=True)
class Timings:
    cold_ms: list[float]
    warm_ms: list[float]


class ColdRunner:
    """A fresh interpreter per job, in the same bubblewrap view the warm pools get."""

    def __init__(self, state_dir: Path) -> None:
        host = probe()
        self.python = sys.executable
        bindir, _ = interpreter_layout(self.python)
        self.fsview = FsView(host.bwrap, self.python, state_dir)
        self.env = job_env(bindir, {"PYTHONUNBUFFERED": "1"})

    def run(self, code: str) -> float:
        command = self.fsview.command([self.python, "-c", code], self.env)
        started = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
        elapsed = (time.perf_counter() - started) * 1000
        if proc.returncode != 0 or "loss" not in proc.stdout:
            raise RuntimeError(f"cold run failed: {proc.stderr[-2000:]}")
        return elapsed


def warm_run(sandbox: Sandbox, framework: str, code: str) -> float:
    started = time.perf_counter()
    result = sandbox.run(RunSpec(code, framework=framework))
    elapsed = (time.perf_counter() - started) * 1000
    if result.status != "ok" or "loss" not in result.stdout:
        raise RuntimeError(f"warm run failed: {result.status} {result.stderr[-2000:]}")
    return elapsed


def measure(sandbox: Sandbox, cold: ColdRunner, framework: str, runs: int) -> Timings:
    code = DEMOS[framework]
    warm_run(sandbox, framework, code)  # the first job of a pool also waits for its first spare
    cold_ms, warm_ms = [], []
    for i in range(runs):
        cold_ms.append(cold.run(code))
        warm_ms.append(warm_run(sandbox, framework, code))
        if (i + 1) % 10 == 0:
            log.info("%s: %d/%d runs", framework, i + 1, runs)
    return Timings(cold_ms, warm_ms)


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def report(
    results: dict[str, Timings],
    memory: dict[str, tuple[float, float, int]],
    runs: int,
    load_before: str,
    load_after: str,
) -> str:
    lines = [
        "## Sandbox: cold against warm",
        "",
        stamp().rstrip(),
        "",
        f"End-to-end latency of `Sandbox.run` (warm: forked from a pre-imported pool) against a fresh "
        f"`python -c` in the same bubblewrap sandbox (cold), {runs} runs each, alternating. "
        f"Load average (1/5/15 min) before: {load_before}; after: {load_after} "
        f"(the machine is shared, so absolute numbers move with it; the ratio is side by side).",
        "",
        "| demo | cold p50 | cold p95 | warm p50 | warm p95 | speed-up (p50) | target (warm p50, ≥10×) | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for framework, timings in results.items():
        cold50, cold95 = percentile(timings.cold_ms, 0.5), percentile(timings.cold_ms, 0.95)
        warm50, warm95 = percentile(timings.warm_ms, 0.5), percentile(timings.warm_ms, 0.95)
        speedup = cold50 / warm50
        target = TARGETS_MS[framework]
        met = "yes" if warm50 <= target and speedup >= 10 else "no"
        lines.append(
            f"| {framework} | {cold50:.0f} ms | {cold95:.0f} ms | {warm50:.0f} ms | {warm95:.0f} ms | "
            f"{speedup:.1f}× | ≤ {target:.0f} ms | {met} |"
        )
    lines += [
        "",
        "Idle memory of each warm pool (bubblewrap, the pool and its waiting spare job process):",
        "",
        "| pool | RSS | PSS (shared pages split) | processes |",
        "|---|---|---|---|",
    ]
    for framework, (rss, pss, count) in memory.items():
        lines.append(f"| {framework} | {rss:.0f} MiB | {pss:.0f} MiB | {count} |")
    mean_cold = {fw: statistics.fmean(t.cold_ms) for fw, t in results.items()}
    lines += [
        "",
        "Mean cold run: " + ", ".join(f"{fw} {ms / 1000:.1f} s" for fw, ms in mean_cold.items()) + ".",
    ]
    return "\n".join(lines) + "\n"


def run() -> str:
    runs = int(os.environ.get("BENCH_SANDBOX_RUNS", "50"))
    load_before = load_average()
    with (
        tempfile.TemporaryDirectory(prefix="bench-sandbox-") as tmp,
        Sandbox(results_dir=Path(tmp) / "out") as box,
    ):
        box.warm(["python", "torch", "tensorflow"])
        time.sleep(2.0)  # let the pools settle (spares forked) before measuring idle memory
        memory = {fw: (m.rss_mb, m.pss_mb, m.processes) for fw, m in box.pool_memory().items()}
        cold = ColdRunner(Path(tmp))
        results = {fw: measure(box, cold, fw, runs) for fw in ("torch", "tensorflow")}
    return report(results, memory, runs, load_before, load_average())
