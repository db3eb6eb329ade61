"""A GPU memory fence per job: each CUDA job may pin at most `cap` bytes of the GPU's memory.

The mechanism is CUDA MPS, owned by the worker: it starts its own control daemon
(`nvidia-cuda-mps-control -d`) with a private pipe and log directory and sets a server-side
default pinned device memory limit (`set_default_device_pinned_mem_limit`). Every CUDA context
created through that daemon gets the limit; an allocation past it fails with CUDA's
out-of-memory error, in that job only. The pipe directory is bound into the sandbox and named in
the jobs' environment.

Why a job cannot lift it: a job's CUDA context is created by its spare before the job's code runs
(devprep.py), so the code cannot change the environment the limit is read from, and the server's
default is not the job's to change. MPS serves one user id at a time (a client of another uid
waits until the server's clients are gone), so contexts are always created as root, before the
job drops to its own uid. A job that asked for a lazily initialised CUDA (`# cuda: lazy`) creates
its context itself, after the drop: it is sent past MPS, unfenced, and so runs alone on the GPU.

Where MPS is not available (no `nvidia-cuda-mps-control`, or it fails to start) there is no fence,
and the worker runs one CUDA job at a time (`FencePlan.serial`).

What MPS cannot stop, and the operator can: with the GPU in the DEFAULT compute mode a job could
start a subprocess that bypasses MPS (no pipe directory in its environment) and allocate without
the limit. Setting the GPU to EXCLUSIVE_PROCESS (`nvidia-smi -c EXCLUSIVE_PROCESS`, the mode NVIDIA
recommends for MPS) makes the MPS server the only context allowed on the GPU; `check_fence`
reports which mode the GPU is in.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

GIB = 1 << 30
DEFAULT_CAP_GIB = 16.0
CONTROL = "nvidia-cuda-mps-control"
FENCES = ("auto", "mps", "none")


def cap_bytes(gib: float) -> int:
    return int(gib * GIB)


def limit_argument(cap: int) -> str:
    """The value `set_default_device_pinned_mem_limit` takes: whole MiB ("16384M"), at least 1M."""
    return f"{max(1, cap // (1 << 20))}M"


@dataclass(frozen=True, slots=True)
class FencePlan:
    """How this worker fences GPU memory: "mps" (a cap per job) or "none" (CUDA jobs one at a time)."""

    mechanism: str
    cap_bytes: int
    reason: str

    @property
    def fenced(self) -> bool:
        return self.mechanism == "mps"

    @property
    def serial(self) -> bool:
        """Unfenced: no two CUDA jobs may share the GPU."""
        return not self.fenced

    def describe(self) -> str:
        if self.fenced:
            return f"GPU memory fence: MPS, {self.cap_bytes / GIB:g} GiB per job"
        return f"no GPU memory fence ({self.reason}): CUDA jobs run one at a time"


def plan_fence(
    gpu: str | None,
    cap: int,
    wanted: str = "auto",
    which: Callable[[str], str | None] = shutil.which,
) -> FencePlan:
    """Decide the fence for a worker that pins `gpu` (None: a CPU worker, nothing to fence)."""
    if wanted not in FENCES:
        raise ValueError(f"unknown GPU fence {wanted!r}; expected one of {', '.join(FENCES)}")
    if gpu is None:
        return FencePlan("none", cap, "no GPU on this worker")
    if wanted == "none":
        return FencePlan("none", cap, "turned off (--gpu-fence none)")
    if cap <= 0:
        return FencePlan("none", cap, "no cap set (--gpu-memory-cap 0)")
    if which(CONTROL) is None:
        return FencePlan("none", cap, f"{CONTROL} is not installed")
    return FencePlan("mps", cap, f"{CONTROL} found")


class FenceError(RuntimeError):
    """The MPS daemon could not be started or configured (the message says why)."""


@dataclass
class MpsDaemon:
    """This worker's own MPS control daemon: private pipe and log dirs, a default memory limit.

    `gpu` is the GPU as the host names it (index or UUID); the daemon sees only that one, so MPS
    clients name it device 0 (`client_visible_devices`).
    """

    gpu: str
    cap: int
    state_dir: Path
    control: str = CONTROL
    timeout_s: float = 20.0
    started: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # What CUDA_VISIBLE_DEVICES names the GPU by, for the daemon and for jobs: its UUID where
    # nvidia-smi tells it (the same GPU with or without MPS), else device 0 of the daemon's view.
    uuid: str = ""

    @property
    def client_visible_devices(self) -> str:
        return self.uuid or "0"

    @property
    def pipe_dir(self) -> Path:
        return self.state_dir / "mps-pipe"

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "mps-log"

    def env(self) -> dict[str, str]:
        """The environment of the daemon and of every command sent to it."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("CUDA_MPS_")}
        env.update(
            CUDA_MPS_PIPE_DIRECTORY=str(self.pipe_dir),
            CUDA_MPS_LOG_DIRECTORY=str(self.log_dir),
            CUDA_VISIBLE_DEVICES=self.uuid or self.gpu,
        )
        return env

    def client_env(self) -> dict[str, str]:
        """What a fenced job's process needs in its environment when it creates its context."""
        return {
            "CUDA_MPS_PIPE_DIRECTORY": str(self.pipe_dir),
            "CUDA_VISIBLE_DEVICES": self.client_visible_devices,
        }

    def start_command(self) -> list[str]:
        return [self.control, "-d"]

    def limit_command(self) -> str:
        return f"set_default_device_pinned_mem_limit 0 {limit_argument(self.cap)}"

    def start(self) -> None:
        """Start the daemon and set the limit; raises FenceError (and leaves nothing running)."""
        with self._lock:
            self.uuid = gpu_uuid(self.gpu)
            for path in (self.pipe_dir, self.log_dir):
                path.mkdir(parents=True, exist_ok=True)
                path.chmod(0o755)
            # To a file, not a pipe: the daemon it forks may keep the pipe open, and we would wait.
            said = self.log_dir / "start.out"
            try:
                with said.open("w+") as out:
                    proc = subprocess.run(
                        self.start_command(),
                        env=self.env(),
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        stdin=subprocess.DEVNULL,
                        timeout=self.timeout_s,
                        check=False,
                    )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise FenceError(f"{self.control} -d failed: {exc}") from exc
            if proc.returncode != 0:
                raise FenceError(
                    f"{self.control} -d exited {proc.returncode}: {said.read_text().strip()[-300:]}"
                )
            self.started = True
            try:
                self._wait_for_pipe()
                answer = self.send(self.limit_command())
                if re.search(r"error|invalid|unknown|fail", answer, re.I):
                    raise FenceError(f"the MPS daemon refused {self.limit_command()!r}: {answer.strip()}")
            except FenceError:
                self._quit()
                raise
        log.info("MPS daemon started (pipes in %s): %s per job", self.pipe_dir, limit_argument(self.cap))

    def _wait_for_pipe(self) -> None:
        """`-d` returns once it has forked; the control pipe appears a moment later."""
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if (self.pipe_dir / "control").exists():
                return
            time.sleep(0.02)
        if (self.pipe_dir / "nvidia-cuda-mps-control.pid").exists():
            return  # running, its control pipe named otherwise: the limit command will tell
        raise FenceError(
            f"the MPS daemon made no control pipe in {self.pipe_dir} within {self.timeout_s:g} s"
        )

    def send(self, command: str) -> str:
        """One command to the daemon's interactive shell; its answer."""
        try:
            proc = subprocess.run(
                [self.control],
                input=command + "\n",
                env=self.env(),
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise FenceError(f"{command!r} to the MPS daemon failed: {exc}") from exc
        if proc.returncode != 0:
            raise FenceError(f"{command!r} to the MPS daemon exited {proc.returncode}: {proc.stderr.strip()}")
        return proc.stdout

    def stop(self) -> None:
        with self._lock:
            self._quit()

    def _quit(self) -> None:
        if not self.started:
            return
        self.started = False
        with contextlib.suppress(FenceError):
            self.send("quit")


def stop_stale_daemon(state_dir: Path) -> None:
    """Ask the MPS daemon of a worker that died without closing (its state dir is left) to quit."""
    if not (state_dir / "mps-pipe" / "control").exists() or shutil.which(CONTROL) is None:
        return
    daemon = MpsDaemon("", 0, state_dir, timeout_s=5.0, started=True)
    daemon.stop()


def smi_query(gpu: str, field: str) -> str:
    """One `nvidia-smi --query-gpu` field of one GPU, or "" where nvidia-smi cannot tell."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return ""
    try:
        proc = subprocess.run(
            [smi, "-i", gpu, f"--query-gpu={field}", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def gpu_uuid(gpu: str) -> str:
    """The GPU's UUID ("GPU-..."), or "" where nvidia-smi cannot tell."""
    if gpu.startswith(("GPU-", "MIG-")):
        return gpu
    found = smi_query(gpu, "uuid")
    return found if found.startswith("GPU-") else ""


class GpuGate:
    """Who may use the GPU now: fenced jobs share it; an unfenced job has it to itself.

    Writers first: once an unfenced job waits, new fenced jobs wait behind it, so it cannot starve.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting_exclusive = 0

    @contextlib.contextmanager
    def hold(self, *, exclusive: bool, cancel: threading.Event | None = None):
        """Hold the GPU for one job; yields False (holding nothing) if `cancel` was set while waiting."""
        got = self._acquire(exclusive, cancel)
        try:
            yield got
        finally:
            if got:
                self._release(exclusive)

    def _acquire(self, exclusive: bool, cancel: threading.Event | None) -> bool:
        with self._cond:
            if exclusive:
                self._waiting_exclusive += 1
            try:
                while self._exclusive or (self._shared if exclusive else self._waiting_exclusive):
                    if cancel is not None and cancel.is_set():
                        return False
                    self._cond.wait(0.1 if cancel is not None else None)
                if exclusive:
                    self._exclusive = True
                else:
                    self._shared += 1
                return True
            finally:
                if exclusive:
                    self._waiting_exclusive -= 1
                    self._cond.notify_all()  # fenced jobs held back for this one may go now

    def _release(self, exclusive: bool) -> None:
        with self._cond:
            if exclusive:
                self._exclusive = False
            else:
                self._shared -= 1
            self._cond.notify_all()


def gpu_out_of_memory(stderr: str) -> bool:
    """Whether a failed job's traceback ends in a CUDA out-of-memory error (torch or TensorFlow)."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    tail = "\n".join(lines[-3:])
    return bool(
        re.search(
            r"(torch\.(cuda\.)?OutOfMemoryError|CUDA out of memory|CUDA error: out of memory"
            r"|ResourceExhaustedError|CUDA_ERROR_OUT_OF_MEMORY)",
            tail,
        )
    )
