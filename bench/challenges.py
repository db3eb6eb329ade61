"""Challenge grading benchmark: a verdict end to end on a warm CPU worker, as the bot gets it.

Every challenge's reference solution (accepted) and a wrong answer (the entry point returning its
first argument) are graded through the embedded SQLite job queue by an in-process executor worker
whose torch and TensorFlow pools are warm - the same path as `/challenge submit` (QueueBackend):
a trusted reference job, the member's job, the comparison outside. One warm-up verdict per
challenge, then RUNS timed verdicts of each kind. Target: p50 <= 1.5 s per verdict.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from bench.__main__ import stamp
from bench.queue import _NoClose
from bench.stats import percentile as pct
from content.challenge_loader import load_challenges
from executor.client import ClientLimits, ExecutorClient
from executor.grading import QueueBackend, Spec, grade
from executor.sandbox import Sandbox
from executor.worker import ExecutorWorker, WorkerConfig

log = logging.getLogger("bench.challenges")

RUNS = 3
TARGET_S = 1.5


def wrong_answer(spec: Spec) -> str:
    """A submission that defines the entry point and returns its first argument."""
    top = spec.entry.split(".")[0]
    if "." in spec.entry:
        return (
            "import torch\n\n"
            f"class {top}(torch.autograd.Function):\n"
            "    @staticmethod\n    def forward(ctx, x):\n        return x\n\n"
            "    @staticmethod\n    def backward(ctx, g):\n        return g\n"
        )
    return f"def {top}(first, *args, **kwargs):\n    return first\n"


async def measure(tmp: Path) -> tuple[dict[str, dict[str, list[float]]], list[str]]:
    url = f"sqlite:///{tmp / 'challenges.db'}"
    namespace = f"bench{uuid.uuid4().hex[:8]}-"
    sandbox = Sandbox()
    worker = ExecutorWorker(
        WorkerConfig(queue_url=url, namespace=namespace, name="bench", warm=("torch", "tensorflow")),
        sandbox=_NoClose(sandbox),
    )
    await worker.start()
    await worker.warmed()
    client = ExecutorClient(url, ClientLimits(per_member_incomplete=10), namespace=namespace)
    await client.connect()
    backend = QueueBackend(client, requester="bench")
    times: dict[str, dict[str, list[float]]] = {}
    wrong_verdicts: list[str] = []
    try:
        for challenge in load_challenges().challenges.values():
            spec = Spec.of(challenge)
            await grade(spec, challenge.reference, backend)  # warm-up: first use of its ops in the pool
            entry = times.setdefault(
                challenge.id, {"framework": [challenge.framework], "accepted": [], "wrong": []}
            )
            for _ in range(RUNS):
                started = time.perf_counter()
                result = await grade(spec, challenge.reference, backend)
                entry["accepted"].append(time.perf_counter() - started)
                assert result.verdict == "accepted", (challenge.id, result)
                started = time.perf_counter()
                result = await grade(spec, wrong_answer(spec), backend)
                entry["wrong"].append(time.perf_counter() - started)
                wrong_verdicts.append(result.verdict)
            log.info("%s: accepted p50 %.0f ms", challenge.id, pct(entry["accepted"], 0.5) * 1000)
    finally:
        await client.close()
        await worker.stop()
        await asyncio.to_thread(sandbox.close)
    return times, wrong_verdicts


def run() -> str:
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        times, wrong = asyncio.run(measure(Path(tmp)))
    rows = []
    groups: dict[str, list[float]] = {"pytorch": [], "tensorflow": []}
    for cid, entry in times.items():
        framework = entry["framework"][0]
        both = entry["accepted"] + entry["wrong"]
        groups[framework] += both
        rows.append((cid, framework, pct(entry["accepted"], 0.5), pct(entry["wrong"], 0.5), max(both)))
    everything = groups["pytorch"] + groups["tensorflow"]
    lines = [
        "## Challenge grading",
        "",
        stamp(),
        "",
        f"A verdict end to end through the embedded SQLite queue and an in-process worker with warm torch and "
        f"TensorFlow pools (the `/challenge submit` path: reference job, member job, comparison outside). "
        f"{len(times)} challenges, each: one warm-up, then {RUNS} accepted (the reference) and {RUNS} wrong "
        f"answers (the entry point returning its first argument). Load average before: "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}.",
        "",
        "| verdicts | n | p50 | p95 | max | target p50 |",
        "|---|---|---|---|---|---|",
    ]
    for name, values in (("all", everything), *groups.items()):
        if values:
            lines.append(
                f"| {name} | {len(values)} | {pct(values, 0.5) * 1000:.0f} ms | {pct(values, 0.95) * 1000:.0f} ms "
                f"| {max(values) * 1000:.0f} ms | ≤ {TARGET_S * 1000:.0f} ms |"
            )
    slowest = sorted(rows, key=lambda r: -r[2])[:5]
    lines += [
        "",
        "Slowest challenges (p50 accepted / p50 wrong / max, ms): "
        + "; ".join(f"`{c}` {a * 1000:.0f} / {w * 1000:.0f} / {m * 1000:.0f}" for c, _, a, w, m in slowest)
        + ".",
        "",
        f"Wrong answers were graded: {', '.join(f'{v} {wrong.count(v)}' for v in sorted(set(wrong)))}.",
    ]
    return "\n".join(lines) + "\n"
