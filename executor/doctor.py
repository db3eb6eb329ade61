"""`python -m executor doctor [--device cpu|cuda] [--json]`: what the sandbox will enforce on this host.

It starts a real Sandbox and runs small jobs in it, so what it reports is what jobs get, not what the
host seems to offer. The JSON form:

    {"mode": "root" | "rootless" | "none",
     "cgroup": {"version": 1 | 2, "memory": bool, "pids": bool},
     "gpus": ["/dev/nvidia0", ...],          # visible inside the sandbox
     "checks": [{"name": ..., "ok": bool, "detail": ...}, ...],
     "ok": bool}                              # every check passed

The exit status is 0 only when `ok`: everything a production worker needs is there (root mode,
memory and pids cgroup limits, isolation, a job per framework).

Extension point: each check is a small function `check(ctx: Doctor) -> Check | None` in the list
`CHECKS`, run in order; `None` means "does not apply here" (e.g. a GPU check with `--device cpu`).
Add one with `CHECKS.append(fn)` (or the `@check` decorator) in a module imported before `run`;
a check may use `ctx.job(code, ...)` to run code in the sandbox, `ctx.sandbox`, `ctx.host`,
`ctx.device` and `ctx.gpus`, and may add entries to `ctx.cgroup`. A check that raises is reported
as failed with the exception, never crashes the doctor.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from executor.host import HostSupport, detect
from executor.protocol import Limits, RunResult, RunSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Doctor:
    """What every check can use; `job` runs code in the one sandbox the doctor starts."""

    host: HostSupport
    device: str = "cpu"
    sandbox: Any = None  # executor.sandbox.Sandbox, or None where none could start
    sandbox_error: str = ""
    cgroup: dict[str, Any] = field(default_factory=lambda: {"version": 0, "memory": False, "pids": False})
    gpus: list[str] = field(default_factory=list)

    def job(self, code: str, framework: str = "python", **limits: Any) -> RunResult:
        if self.sandbox is None:
            raise RuntimeError(f"no sandbox: {self.sandbox_error or self.host.reason}")
        spec = RunSpec(code, framework=framework, device=self.device, limits=Limits(**limits))
        return self.sandbox.run(spec)


CheckFn = Callable[[Doctor], "Check | None"]
CHECKS: list[CheckFn] = []


def check(fn: CheckFn) -> CheckFn:
    CHECKS.append(fn)
    return fn


def _said(result: RunResult) -> str:
    text = (result.stdout.strip() or result.stderr.strip() or str(result.status)).splitlines()
    return text[-1][:300] if text else str(result.status)


@check
def bubblewrap(ctx: Doctor) -> Check:
    if not ctx.host.bwrap:
        return Check("bubblewrap", False, ctx.host.reason)
    version = subprocess.run(
        [ctx.host.bwrap, "--version"], capture_output=True, text=True, timeout=30, check=False
    ).stdout.strip()
    return Check("bubblewrap", True, f"{ctx.host.bwrap}: {version or 'unknown version'}")


@check
def privileges(ctx: Doctor) -> Check:
    if ctx.host.mode == "root":
        return Check("privileges", True, "root with CAP_SYS_ADMIN: a uid of its own per job")
    if ctx.host.mode == "rootless":
        return Check(
            "privileges",
            False,
            "rootless (user namespaces): jobs share this user's uid; production workers run as root "
            "(docs/sandbox.md)",
        )
    return Check("privileges", False, ctx.host.reason)


@check
def sandbox_start(ctx: Doctor) -> Check:
    if ctx.sandbox is None:
        return Check("sandbox", False, ctx.sandbox_error or ctx.host.reason)
    return Check("sandbox", True, f"started in {ctx.host.mode} mode")


NAMESPACES_CODE = """
import json, os, socket
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
print(json.dumps({"uid": os.getuid(), "pids": pids, "host": socket.gethostname(),
                  "net": sorted(os.listdir('/sys/class/net')) if os.path.isdir('/sys/class/net') else []}))
"""


@check
def namespaces(ctx: Doctor) -> Check:
    result = ctx.job(NAMESPACES_CODE)
    if result.status != "ok":
        return Check("namespaces", False, f"job {result.status}: {_said(result)}")
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    problems = []
    if seen["uid"] == 0:
        problems.append("the job runs as uid 0")
    if max(seen["pids"], default=0) > 10:
        problems.append(f"the job sees other processes ({len(seen['pids'])} pids)")
    if seen["host"] != "sandbox":
        problems.append(f"hostname is {seen['host']!r}")
    detail = f"uid {seen['uid']}, {len(seen['pids'])} visible pids, hostname {seen['host']}"
    return Check("namespaces", not problems, "; ".join(problems) or detail)


NETWORK_CODE = """
import errno, os, socket
def reach(host, port):
    try:
        socket.create_connection((host, port), timeout=3).close()
        return "connected"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc))
print(sorted(os.listdir('/sys/class/net')) if os.path.isdir('/sys/class/net') else '?',
      reach('1.1.1.1', 53), reach('8.8.8.8', 443))
"""


@check
def network(ctx: Doctor) -> Check:
    result = ctx.job(NETWORK_CODE)
    out = _said(result)
    ok = result.status == "ok" and "connected" not in out and out.startswith("['lo']")
    return Check("network isolation", ok, f"interfaces and outside connections: {out}")


MEMORY_CODE = "blocks = []\nfor _ in range(64):\n    blocks.append(bytearray(16 * 1024 * 1024))\nprint('allocated 1 GiB')\n"


@check
def memory_limit(ctx: Doctor) -> Check:
    tree = ctx.sandbox.cgroups if ctx.sandbox is not None else None
    result = ctx.job(MEMORY_CODE, memory_mb=128)
    stopped = result.status == "memory_limit"
    ctx.cgroup["memory"] = bool(tree is not None and stopped)
    if tree is None:
        why = ctx.sandbox.cgroup_problem if ctx.sandbox is not None else ""
        return Check(
            "memory limit",
            False,
            f"no memory cgroup ({why}); rlimits only: 1 GiB job with a 128 MB limit -> {result.status}",
        )
    return Check(
        "memory limit",
        stopped,
        f"cgroup v{tree.version}: a 1 GiB job with memory_mb=128 ended {result.status}",
    )


PIDS_CODE = """
import threading, time
started = 0
stop = threading.Event()
try:
    for _ in range(200):
        threading.Thread(target=stop.wait, daemon=True).start()
        started += 1
except RuntimeError:
    pass
print(f'threads started: {started}')
stop.set()
"""


@check
def pids_limit(ctx: Doctor) -> Check:
    tree = ctx.sandbox.cgroups if ctx.sandbox is not None else None
    result = ctx.job(PIDS_CODE, processes=32)
    out = _said(result)
    try:
        started = int(out.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return Check("pids limit", False, f"job {result.status}: {out}")
    stopped = started < 40
    ctx.cgroup["pids"] = bool(tree is not None and stopped)
    if tree is None:
        return Check(
            "pids limit", False, f"no pids cgroup; RLIMIT_NPROC only: {started} of 200 threads started"
        )
    return Check(
        "pids limit", stopped, f"cgroup v{tree.version}, processes=32: {started} of 200 threads started"
    )


FRAMEWORK_CODE = {
    "python": "import numpy as np; print(int(np.arange(4).sum()))",
    "torch": "import torch; x = torch.ones(3, requires_grad=True); (x * x).sum().backward(); print(x.grad.tolist())",
    "tensorflow": "import tensorflow as tf; print(int(tf.reduce_sum(tf.ones([3]))))",
}


def _framework_check(framework: str) -> CheckFn:
    def framework_job(ctx: Doctor) -> Check:
        warm = ctx.sandbox is not None and ctx.sandbox.pool_pid(framework) is not None
        started = time.monotonic()
        result = ctx.job(FRAMEWORK_CODE[framework], framework=framework, wall_s=60)
        took = time.monotonic() - started
        how = "on the warm pool" if warm else "pool start included"
        return Check(
            f"{framework} job",
            result.status == "ok",
            f"{result.status} on {result.device} in {took:.1f} s ({how}): {_said(result)}",
        )

    framework_job.__name__ = f"{framework}_job"
    return framework_job


for _framework in ("python", "torch", "tensorflow"):
    CHECKS.append(_framework_check(_framework))

GPU_CODE = "import glob; print(' '.join(sorted(glob.glob('/dev/nvidia[0-9]*'))))"


@check
def gpus_visible(ctx: Doctor) -> Check | None:
    if ctx.device != "cuda":
        return None
    result = ctx.job(GPU_CODE)
    ctx.gpus = result.stdout.split() if result.status == "ok" else []
    ok = bool(ctx.gpus)
    return Check(
        "gpus", ok, " ".join(ctx.gpus) if ok else f"no /dev/nvidia* inside the sandbox ({result.status})"
    )


def start(device: str = "cpu") -> Doctor:
    """The context: the host's mode and, where it has one, a running Sandbox."""
    from executor.sandbox import Sandbox, SandboxUnavailable, pin_first_gpu

    host = detect()
    ctx = Doctor(host, device=device)
    if device == "cuda":
        pin_first_gpu(host.gpus)
    if host.mode == "none":
        return ctx
    try:
        ctx.sandbox = Sandbox(ready_timeout_s=300)
    except (SandboxUnavailable, OSError) as exc:
        ctx.sandbox_error = f"{type(exc).__name__}: {exc}"
        return ctx
    if ctx.sandbox.cgroups is not None:
        ctx.cgroup["version"] = ctx.sandbox.cgroups.version
    else:
        from executor.cgroups import version

        ctx.cgroup["version"] = version()
    ctx.gpus = [] if device != "cuda" else list(host.gpus)
    return ctx


def run(device: str = "cpu", checks: list[CheckFn] | None = None) -> dict[str, Any]:
    ctx = start(device)
    results: list[Check] = []
    try:
        for fn in checks if checks is not None else CHECKS:
            try:
                outcome = fn(ctx)
            except Exception as exc:  # a broken check is a failed check, never a crashed doctor
                outcome = Check(fn.__name__.replace("_", " "), False, f"{type(exc).__name__}: {exc}")
            if outcome is not None:
                results.append(outcome)
    finally:
        if ctx.sandbox is not None:
            ctx.sandbox.close()
    return {
        "mode": ctx.host.mode,
        "cgroup": ctx.cgroup,
        "gpus": ctx.gpus,
        "checks": [asdict(c) for c in results],
        "ok": bool(results) and all(c.ok for c in results),
    }


def summary(sandbox: Any) -> str:
    """One line for a worker's start-up log: mode, cgroup limits, GPU (no jobs are run)."""
    tree = sandbox.cgroups
    limits = (
        f"cgroup v{tree.version} memory+pids limits"
        if tree is not None
        else f"NO cgroup limits ({sandbox.cgroup_problem}), rlimits only"
    )
    gpu = f"GPU {sandbox.gpu}" if sandbox.gpu else "no GPU"
    return f"sandbox: {sandbox.host.mode} mode, {limits}, {gpu}"


def render(report: dict[str, Any]) -> str:
    cg = report["cgroup"]
    lines = [
        f"mode: {report['mode']}",
        f"cgroup: v{cg['version']} memory={'yes' if cg['memory'] else 'NO'} pids={'yes' if cg['pids'] else 'NO'}",
        f"gpus: {' '.join(report['gpus']) or 'none'}",
    ]
    lines += [f"[{'ok' if c['ok'] else 'FAIL'}] {c['name']}: {c['detail']}" for c in report["checks"]]
    lines.append("ready for production" if report["ok"] else "NOT ready for production (see FAIL lines)")
    return "\n".join(lines)


def add_doctor_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor", help="check what the sandbox enforces on this host (exit 0: production-ready)"
    )
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=doctor_main)


def doctor_main(args: argparse.Namespace) -> int:
    report = run(args.device)
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render(report) + "\n")
    return 0 if report["ok"] else 1


def _from_gpu_check(found: dict[str, Any]) -> Check:
    return Check(str(found["name"]), bool(found["ok"]), str(found["detail"]))


@check
def cuda_initialisation(ctx: Doctor) -> Check | None:
    """How long a fresh process takes to make a CUDA context and run its first matmul (cuda_checks.py)."""
    if ctx.device != "cuda":
        return None
    from executor.cuda_checks import cuda_init_time

    return _from_gpu_check(cuda_init_time(ctx.sandbox.python if ctx.sandbox is not None else None))


@check
def gpu_memory_fence(ctx: Doctor) -> Check | None:
    """Whether each CUDA job's GPU memory can be capped (the worker's own MPS daemon), or jobs go one at a time."""
    if ctx.device != "cuda":
        return None
    from executor.cuda_checks import gpu_memory_fence as fence_check

    return _from_gpu_check(fence_check())
