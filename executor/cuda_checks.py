"""GPU checks for `python -m executor doctor --device cuda`.

Each check returns one `{"name", "ok", "detail"}` dict and never raises. For the doctor's list:

    from executor.cuda_checks import GPU_CHECKS
    checks += GPU_CHECKS            # when --device cuda

or call `gpu_checks()` for all of them at once. Both run in a subprocess or call external
programs only, so the doctor's own process never initialises CUDA.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from executor.gpu_fence import DEFAULT_CAP_GIB, FenceError, MpsDaemon, cap_bytes, plan_fence, smi_query

Check = dict[str, Any]

_CUDA_INIT = """
import json, time
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
if not torch.cuda.is_available():
    print(json.dumps({"available": False, "torch": torch.__version__})); raise SystemExit
torch.cuda.init(); torch.zeros(1, device="cuda"); torch.cuda.synchronize()
t2 = time.perf_counter()
x = torch.ones(64, 64, device="cuda"); (x @ x).sum().item()
t3 = time.perf_counter()
(x @ x).sum().item()
t4 = time.perf_counter()
print(json.dumps({"available": True, "torch": torch.__version__, "name": torch.cuda.get_device_name(0),
                  "import_s": t1 - t0, "context_s": t2 - t1, "first_matmul_s": t3 - t2, "matmul_s": t4 - t3}))
"""


def _gpu() -> str | None:
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        return visible.split(",")[0].strip() or None
    return "0" if any(Path("/dev").glob("nvidia[0-9]*")) else None


def cuda_init_time(python: str | None = None, timeout_s: float = 120.0) -> Check:
    """How long a fresh process takes to create a CUDA context and run its first matmul (torch)."""
    name = "CUDA initialisation time"
    try:
        proc = subprocess.run(
            [python or sys.executable, "-c", _CUDA_INIT],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"name": name, "ok": False, "detail": f"could not run the probe: {exc}"}
    try:
        found = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"name": name, "ok": False, "detail": f"probe failed: {proc.stderr.strip()[-300:]}"}
    if not found.get("available"):
        return {"name": name, "ok": False, "detail": f"torch {found.get('torch')} sees no CUDA device"}
    ms = {k: round(found[k] * 1000, 1) for k in ("context_s", "first_matmul_s", "matmul_s")}
    return {
        "name": name,
        "ok": True,
        "detail": (
            f"{found['name']}: context {ms['context_s']} ms, first 64x64 matmul {ms['first_matmul_s']} ms, "
            f"next {ms['matmul_s']} ms (a CUDA-ready spare pays these before the request)"
        ),
    }


def gpu_memory_fence(cap_gib: float = DEFAULT_CAP_GIB, fence: str = "auto") -> Check:
    """Whether a worker here can cap each job's GPU memory: tries to start and configure a private
    MPS daemon (and stops it), and says which compute mode the GPU is in."""
    name = "GPU memory fence"
    gpu = _gpu()
    plan = plan_fence(gpu, cap_bytes(cap_gib), fence)
    if not plan.fenced or gpu is None:
        return {"name": name, "ok": False, "detail": plan.describe()}
    state = Path(tempfile.mkdtemp(prefix="backprop-doctor-mps-"))
    daemon = MpsDaemon(gpu, plan.cap_bytes, state)
    try:
        daemon.start()
        answer = daemon.send("get_default_device_pinned_mem_limit 0").strip()
    except FenceError as exc:
        return {
            "name": name,
            "ok": False,
            "detail": f"MPS did not start: {exc}; CUDA jobs would run one at a time",
        }
    finally:
        daemon.stop()
        shutil.rmtree(state, ignore_errors=True)
    mode = compute_mode(gpu)
    airtight = mode.upper().replace(" ", "_").startswith("EXCLUSIVE_PROCESS")
    caveat = (
        "exclusive-process: only MPS contexts may use the GPU"
        if airtight
        else f"compute mode {mode or 'unknown'}: a job's subprocess that skips MPS is not capped "
        "(nvidia-smi -c EXCLUSIVE_PROCESS closes that)"
    )
    return {
        "name": name,
        "ok": True,
        "detail": f"{plan.describe()} (daemon answered {answer or '?'}); {caveat}",
    }


def compute_mode(gpu: str) -> str:
    return smi_query(gpu, "compute_mode")


GPU_CHECKS: list[Callable[[], Check]] = [cuda_init_time, gpu_memory_fence]


def gpu_checks() -> list[Check]:
    return [check() for check in GPU_CHECKS]


if __name__ == "__main__":  # python -m executor.cuda_checks: the same checks, one JSON line each
    for result in gpu_checks():
        sys.stdout.write(json.dumps(result) + "\n")
