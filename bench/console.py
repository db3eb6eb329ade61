"""Piped console runs of the README's example: does every run exit by itself, quickly and quietly?

`python -m bench console` writes the section (200 runs, 8 at a time; `BENCH_CONSOLE_RUNS` and
`BENCH_CONSOLE_PARALLEL` change that); `python -m bench.console --runs 80 --parallel 4` prints it
without touching docs/benchmarks.md. Each run gets a fresh data directory and the default
settings (embedded worker on); a run that has not exited after `--hang-s` counts as hung.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "/help\n/ask what does retain_graph keep\n1\n"
LOUD = ("WARNING", "ERROR", "CRITICAL", "Traceback")


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    returncode: int | None  # None: hung (killed after the hang limit)
    loud: tuple[str, ...]


def one_run(data_dir: Path, hang_s: float) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKPROP_") and k != "DISCORD_TOKEN"}
    env["BACKPROP_DATA_DIR"] = str(data_dir)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        _out, err = proc.communicate(SCRIPT, timeout=hang_s)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        code = None
    seconds = time.perf_counter() - started
    loud = tuple(line for line in err.splitlines() if any(word in line for word in LOUD))
    return Run(seconds, code, loud)


def measure(runs: int, parallel: int, hang_s: float) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="bench-console-") as tmp, ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda i: one_run(Path(tmp) / f"run{i}", hang_s), range(runs)))


def report(results: list[Run], parallel: int) -> str:
    times = sorted(r.seconds for r in results)
    median = statistics.median(times)
    hung = sum(r.returncode is None for r in results)
    failed = sum(r.returncode not in (0, None) for r in results)
    loud = [line for r in results for line in r.loud]
    slow = sum(t > 3 * median for t in times)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    verdict = "PASS" if not (hung or failed or loud or slow) else "FAIL"
    lines = [
        f"Piped console runs of the README example, {len(results)} runs, {parallel} at a time "
        f"(`python -m bench console`).",
        "",
        "| runs | exited by themselves | exit code not 0 | median s | p95 s | max s | max / median "
        "| over 3x median | lines at WARNING+ | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(results)} | {len(results) - hung} | {failed} | {median:.2f} | {p95:.2f} | {times[-1]:.2f} "
        f"| {times[-1] / median:.2f} | {slow} | {len(loud)} | {verdict} |",
    ]
    if loud:
        lines += ["", "First loud lines:", "", *[f"    {line}" for line in loud[:5]]]
    return "\n".join(lines) + "\n"


def run() -> str:
    runs = int(os.environ.get("BENCH_CONSOLE_RUNS", "200"))
    parallel = int(os.environ.get("BENCH_CONSOLE_PARALLEL", "8"))
    from bench.__main__ import stamp

    return stamp() + "\n" + report(measure(runs, parallel, hang_s=300.0), parallel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--hang-s", type=float, default=300.0, help="a run still going after this hung")
    args = parser.parse_args(argv)
    text = report(measure(args.runs, args.parallel, args.hang_s), args.parallel)
    sys.stdout.write(text)
    return 0 if "| PASS |" in text else 1


if __name__ == "__main__":
    sys.exit(main())
