"""`Sandbox`: run untrusted code isolated like a fresh process, in tens of milliseconds.

One warm pool per framework (torch, tensorflow, python) imports the framework once inside a
bubblewrap sandbox; each job is a fresh child forked from it into namespaces of its own, under an
unprivileged uid, cgroup limits and rlimits. See docs/sandbox.md for the isolation model.

    with Sandbox() as sandbox:
        result = sandbox.run(RunSpec("import torch; print(torch.ones(2))", framework="torch"))

`run` blocks and is thread-safe; `arun` is the same for asyncio. Pools start on first use (or on
`warm`) and are restarted when they die.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from executor import cgroups
from executor.fsview import FsView, interpreter_layout, job_env, rebind_env
from executor.gpu_fence import (
    DEFAULT_CAP_GIB,
    FenceError,
    FencePlan,
    GpuGate,
    MpsDaemon,
    cap_bytes,
    plan_fence,
    stop_stale_daemon,
)
from executor.host import SandboxUnavailable, probe
from executor.inside import wire
from executor.inside.artifacts import DEFAULT_EXTENSIONS
from executor.jobrun import JobRun
from executor.pool import PoolBroken, PoolMemory, PoolProcess
from executor.protocol import FRAMEWORKS, MAX_WALL_S, RunResult, RunSpec, Status, canonical_framework

log = logging.getLogger(__name__)

COMMON_PRELOAD = ["numpy", "matplotlib", "matplotlib.pyplot"]
DEFAULT_PRELOAD: dict[str, list[str]] = {
    "python": [*COMMON_PRELOAD],
    # torch.optim's first step imports torch._dynamo (and sympy): seconds a job must not pay.
    "torch": [
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
        "torch._dynamo",
        "torch.utils.data",
        "torch.distributed",
        "torch.multiprocessing",
        *COMMON_PRELOAD,
    ],
    "tensorflow": ["tensorflow", "keras", *COMMON_PRELOAD],
}

STATE_PREFIX = "backprop-sandbox-"
MPS_PREFIX = "backprop-mps-"

__all__ = ["Sandbox", "SandboxUnavailable", "UidPool"]


@dataclass(slots=True)
class UidPool:
    """Unprivileged uids handed out one per running job, so per-uid limits are per job.

    A released uid rests for `rest_s` before it is handed out again: a job's processes have all
    been sent SIGKILL when its result comes back, but the kernel may still be finishing their exits.
    """

    first: int = 20_000
    count: int = 40_000
    rest_s: float = 30.0
    _used: set[int] = field(default_factory=set)
    _resting: dict[int, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self) -> int:
        with self._lock:
            now = time.monotonic()
            self._resting = {uid: t for uid, t in self._resting.items() if t > now}
            while True:
                uid = self.first + random.randrange(self.count)
                if uid not in self._used and uid not in self._resting:
                    self._used.add(uid)
                    return uid

    def release(self, uid: int) -> None:
        with self._lock:
            self._used.discard(uid)
            self._resting[uid] = time.monotonic() + self.rest_s


class Sandbox:
    """Runs RunSpecs in warm, isolated pools. Thread-safe; use as a context manager or call close()."""

    def __init__(
        self,
        *,
        python: str | None = None,
        results_dir: str | Path | None = None,
        preload: dict[str, list[str]] | None = None,
        gpu: str | None = None,
        max_wall_s: float = MAX_WALL_S,
        max_jobs: int = 16,
        cgroup_parent: str | None = None,
        use_cgroups: bool = True,
        uid_range: tuple[int, int] = (20_000, 40_000),
        ready_timeout_s: float = 300.0,
        max_artifacts: int = 10,
        max_artifact_bytes: int = 8_000_000,
        bwrap: str | None = None,
        gpu_memory_cap_gib: float = DEFAULT_CAP_GIB,
        gpu_fence: str = "auto",
        spare_prepare: str | None = None,
        prepared_spares: int = 1,
    ) -> None:
        """`gpu_memory_cap_gib`, `gpu_fence`: see executor/gpu_fence.py. `spare_prepare`: what a
        waiting spare of the torch pool prepares for CUDA jobs ("cuda", the default on a GPU
        worker; "" for nothing; "record", a stand-in that only records when and where it ran);
        `prepared_spares` of them wait at a time (each holds a CUDA context: about 1.1 GiB of GPU memory on an H200)."""
        self.host = probe(bwrap)
        if self.host.rootless:
            # Without cgroups nothing caps the memory of all jobs together (RLIMIT_DATA is per
            # process), and all jobs share the user's uid: one job at a time (docs/sandbox.md).
            max_jobs = 1
            log.warning("sandbox in rootless mode: %s; one job at a time", self.host.reason)
        self.python = python or os.environ.get("BACKPROP_EXECUTOR_PYTHON") or _default_python()
        _remove_stale_state_dirs()
        self._state_dir = Path(tempfile.mkdtemp(prefix=f"{STATE_PREFIX}{os.getpid()}-"))
        self.results_dir = Path(results_dir) if results_dir else self._state_dir / "results"
        self.results_dir.mkdir(parents=True, exist_ok=True)
        self.preload = {**DEFAULT_PRELOAD, **(preload or {})}
        self.gpu = _pick_gpu(gpu, self.host.gpus)
        self.max_wall_s = max_wall_s
        self.ready_timeout_s = ready_timeout_s
        self.uids = UidPool(*uid_range)
        self.artifact_policy: dict[str, Any] = {
            "max_files": max_artifacts,
            "max_bytes": max_artifact_bytes,
            "extensions": list(DEFAULT_EXTENSIONS),
        }
        self.cgroups: cgroups.CgroupTree | None = None
        self.cgroup_problem = "" if use_cgroups else "turned off (use_cgroups=False)"
        if use_cgroups:
            self.cgroups, self.cgroup_problem = cgroups.CgroupTree.attempt(
                cgroups.tree_name(), parent=cgroup_parent
            )
            if self.cgroups is None:
                log.warning(
                    "NO CGROUP LIMITS: %s; per-job memory and process limits fall back to rlimits "
                    "(python -m executor doctor explains)",
                    self.cgroup_problem,
                )
        self.spare_prepare = ("cuda" if self.gpu else "") if spare_prepare is None else spare_prepare
        self.prepared_spares = prepared_spares
        self.fence, self.mps = self._start_fence(gpu_memory_cap_gib, gpu_fence)
        self._gpu_gate = GpuGate()
        try:
            self._fsview = FsView(
                self.host.bwrap,
                self.python,
                self._state_dir,
                gpus=self.host.gpus if self.gpu else (),
                rootless=self.host.rootless,
                # v2: job cgroups lie beside the executor's leaf, outside a cgroup namespace rooted at
                # the pool's cgroup (nsdelegate refuses such moves); each job still gets its own.
                pool_cgroup_ns=self.cgroups is None or self.cgroups.version == 1,
                extra_rw=(str(self.mps.pipe_dir),) if self.mps else (),
                host_ipc=self.mps is not None,
            )
            self._bindir, _ = interpreter_layout(self.python)
        except BaseException:
            if self.mps is not None:  # a daemon must not outlive a sandbox that never started
                self.mps.stop()
            raise
        self._pools: dict[str, PoolProcess] = {}
        self._starting: dict[str, PoolProcess] = {}
        self._pool_locks = {fw: threading.Lock() for fw in FRAMEWORKS}
        self.max_jobs = max_jobs
        self._slots = threading.BoundedSemaphore(max_jobs)
        self._executor = ThreadPoolExecutor(max_workers=max_jobs, thread_name_prefix="sandbox-arun")
        self._closed = False
        self.restarts: dict[str, int] = dict.fromkeys(FRAMEWORKS, 0)

    # running jobs

    def run(self, spec: RunSpec, cancel: threading.Event | None = None) -> RunResult:
        """Run one job to its end (blocking). Never raises for anything the job does."""
        problems = spec.problems(self.max_wall_s)
        if problems:
            return RunResult.rejected(problems)
        if self._closed:
            return RunResult.rejected(["the sandbox is closed"])
        with self._slots:
            if cancel is not None and cancel.is_set():
                return RunResult(Status.CANCELLED, None, "", "[sandbox] cancelled before it started\n")
            if self.device_for(spec) != "cuda":
                return JobRun(self, spec, cancel).execute()
            with self._gpu_gate.hold(exclusive=not self.fenced(spec), cancel=cancel) as holding:
                if not holding:
                    return RunResult(Status.CANCELLED, None, "", "[sandbox] cancelled before it started\n")
                return JobRun(self, spec, cancel).execute()

    async def arun(self, spec: RunSpec, cancel: asyncio.Event | None = None) -> RunResult:
        """`run` for asyncio: the job waits in a worker thread; the event loop never blocks.

        Setting `cancel`, or cancelling the awaiting task, stops the job (the task still waits
        for the job's processes to be gone before it re-raises CancelledError)."""
        stop = threading.Event()
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._executor, self.run, spec, stop)
        watcher = asyncio.ensure_future(cancel.wait()) if cancel is not None else None
        try:
            if watcher is not None:
                await asyncio.wait({job, watcher}, return_when=asyncio.FIRST_COMPLETED)
                if watcher.done():
                    stop.set()
            return await asyncio.shield(job)
        except asyncio.CancelledError:
            stop.set()
            with contextlib.suppress(Exception):
                await job
            raise
        finally:
            if watcher is not None:
                watcher.cancel()

    # pools

    def warm(self, frameworks: Iterable[str] = FRAMEWORKS) -> dict[str, bool]:
        """Start the given pools now (in parallel); returns which are ready."""
        wanted = list(dict.fromkeys(canonical_framework(fw) for fw in frameworks))
        results: dict[str, bool] = {}

        def one(framework: str) -> None:
            try:
                self.pool(framework)
                results[framework] = True
            except PoolBroken as exc:
                if self._closed:  # stopped while warming: nothing went wrong
                    log.info("warming the %s pool stopped: the sandbox closed", framework)
                else:
                    log.error("could not warm the %s pool: %s", framework, exc)
                results[framework] = False

        threads = [threading.Thread(target=one, args=(fw,), name=f"warm-{fw}") for fw in wanted]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def pool(self, framework: str) -> PoolProcess:
        """The live pool for `framework`, started (or restarted) here if need be."""
        if self._closed:
            raise PoolBroken("the sandbox is closed")
        framework = canonical_framework(framework)
        with self._pool_locks[framework]:
            current = self._pools.get(framework)
            if current is not None and current.alive():
                return current
            if current is not None:
                log.warning("the %s pool died; restarting it", framework)
                current.kill()
                self.restarts[framework] += 1
            tree = self.cgroups
            pool = PoolProcess(
                framework,
                self._pool_command(framework),
                self.preload.get(framework, []),
                self.ready_timeout_s,
                prepare=self._prepare_for(framework),
                prepared_spares=self.prepared_spares,
                host_ipc=self.mps is not None,
                cgroup_dirs=tree.open_dirs if tree else None,
                cgroup_version=tree.version if tree else 0,
            )
            self._starting[framework] = pool
            try:
                pool.start()
            finally:
                self._starting.pop(framework, None)
            if self._closed:  # closed while this pool was starting: do not leave it running
                pool.kill()
                raise PoolBroken("the sandbox is closed")
            self._pools[framework] = pool
            return pool

    def discard_pool(self, pool: PoolProcess) -> None:
        """Kill a pool found broken; the next job on its framework starts a fresh one."""
        pool.kill()

    def pool_memory(self) -> dict[str, PoolMemory]:
        return {fw: pool.memory() for fw, pool in self._pools.items() if pool.alive()}

    def pool_pid(self, framework: str) -> int | None:
        pool = self._pools.get(framework)
        return pool.pid if pool is not None and pool.alive() else None

    def _pool_command(self, framework: str) -> list[str]:
        # No -I: its flags would pass on to every interpreter a job spawns (mp.spawn), unlike a
        # plain `python main.py`; bubblewrap already cleared the environment and cwd is empty.
        argv = [self.python, "-c", wire.BOOT]
        return self._fsview.command(argv, job_env(self._bindir, self._pool_env()))

    def _pool_env(self) -> dict[str, str]:
        """The spares prepare CUDA with this environment (the pool itself never touches CUDA)."""
        env = rebind_env(self.python)
        if self.gpu:
            env.update(self.mps.client_env() if self.mps else {"CUDA_VISIBLE_DEVICES": self.gpu})
        return env

    def _prepare_for(self, framework: str) -> str:
        """What the pool's prepared spares do: CUDA preparation is for torch only."""
        if self.spare_prepare == "record" or (self.spare_prepare and framework == "torch"):
            return self.spare_prepare
        return ""

    # the GPU memory fence

    def _start_fence(self, cap_gib: float, wanted: str) -> tuple[FencePlan, MpsDaemon | None]:
        plan = plan_fence(self.gpu, cap_bytes(cap_gib), wanted)
        mps = None
        if plan.fenced and self.gpu:
            mps = MpsDaemon(self.gpu, plan.cap_bytes, mps_state_dir(self._state_dir))
            try:
                mps.start()
            except FenceError as exc:
                mps = None
                plan = FencePlan("none", plan.cap_bytes, f"MPS did not start: {exc}")
        if self.gpu:
            (log.info if plan.fenced else log.warning)("%s", plan.describe())
        return plan, mps

    def fence_not_in_effect(self, reason: str) -> None:
        """MPS runs but jobs' contexts bypass it: no cap holds, so fall back to one CUDA job at a time."""
        mps = self.mps
        if mps is None:
            return
        self.mps = None
        self.fence = FencePlan("none", self.fence.cap_bytes, f"MPS not in effect: {reason}")
        log.error("%s", self.fence.describe())
        mps.stop()

    def fenced(self, spec: RunSpec) -> bool:
        """A CUDA job runs under the memory cap when MPS is up and its context comes from MPS."""
        return self.mps is not None and not spec.lazy_cuda

    # per-job settings used by JobRun

    def device_for(self, spec: RunSpec) -> str:
        return "cuda" if spec.device == "cuda" and self.gpu else "cpu"

    def spare_for(self, spec: RunSpec) -> str:
        """ "prepared" (a spare whose job process prepared the device) or "plain"."""
        wants_device = spec.device == "cuda" and (self.gpu or self.spare_prepare == "record")
        if wants_device and self._prepare_for(spec.framework) and not spec.lazy_cuda:
            return "prepared"
        return "plain"

    def env_for(self, spec: RunSpec) -> dict[str, str]:
        extra: dict[str, str] = {}
        if self.device_for(spec) == "cuda" and self.gpu:
            if self.fenced(spec) and self.mps is not None:
                extra = self.mps.client_env()
            else:  # past MPS: a lazy job's context is created after it dropped to its own uid
                extra = {"CUDA_VISIBLE_DEVICES": self.gpu}
        return job_env(self._bindir, {"PYTHONUNBUFFERED": "1", **extra})

    # life cycle

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # A snapshot: a warm-up thread may be starting a pool right now; it sees _closed when its
        # pool is ready and kills it (pool()), so close() need not wait for it.
        for pool in list(self._pools.values()):
            pool.stop()
        # A pool still importing its framework: kill it, so its starter (a warm-up thread the
        # caller may wait for at exit) returns now instead of when the import is done.
        for pool in list(self._starting.values()):
            pool.kill()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.mps is not None:
            self.mps.stop()
            if self.mps.state_dir != self._state_dir:
                shutil.rmtree(self.mps.state_dir, ignore_errors=True)
        if self.cgroups is not None:
            self.cgroups.remove()
        # The default results dir lives in the state dir and goes with it; a chosen one stays.
        shutil.rmtree(self._state_dir, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _remove_stale_state_dirs() -> None:
    """State dirs of executors that were killed before close() (their pid is gone)."""
    for path in Path(tempfile.gettempdir()).glob(f"{STATE_PREFIX}*"):
        pid = path.name.removeprefix(STATE_PREFIX).split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)
    for path in Path("/run").glob(f"{MPS_PREFIX}*"):
        pid = path.name.removeprefix(MPS_PREFIX).split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            stop_stale_daemon(path)  # the dead worker's MPS daemon may still run
            shutil.rmtree(path, ignore_errors=True)


def mps_state_dir(state_dir: Path) -> Path:
    """Where this worker's MPS pipes live: not under /tmp, which each job replaces with its own
    (the pipes must stay reachable at one path in the host, the pool and the job), so /run."""
    run = Path("/run")
    if run.is_dir() and os.access(run, os.W_OK):
        return Path(tempfile.mkdtemp(prefix=f"{MPS_PREFIX}{os.getpid()}-", dir=run))
    return state_dir


def _default_python() -> str:
    return sys.executable


def pin_first_gpu(devices: tuple[str, ...]) -> str | None:
    """For `--device cuda` with CUDA_VISIBLE_DEVICES unset: pin the first GPU, and say so plainly.

    Returns the pinned index, or None when the variable was set (it decides) or there is no GPU."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") is not None:
        return None
    if not devices:
        log.warning("--device cuda: this host has no NVIDIA GPU (/dev/nvidia*); jobs run on the CPU")
        return None
    os.environ["CUDA_VISIBLE_DEVICES"] = "0"
    log.warning(
        "--device cuda: CUDA_VISIBLE_DEVICES is not set, so the first GPU (0) is used; "
        "set CUDA_VISIBLE_DEVICES to pick another"
    )
    return "0"


def _pick_gpu(explicit: str | None, devices: tuple[str, ...]) -> str | None:
    """The GPU this worker pins (CUDA_VISIBLE_DEVICES form), or None to run everything on CPU."""
    wanted = explicit if explicit is not None else os.environ.get("CUDA_VISIBLE_DEVICES", "")
    wanted = wanted.split(",")[0].strip()
    if not wanted or not devices:
        return None
    return wanted
