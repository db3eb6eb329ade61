"""One job on the host side: hand it to a pool, collect its output, enforce time, judge the end.

The calling thread does the waiting itself (a selector on three pipes: stdout, stderr and the
init's report), so any number of threads can run jobs at once without a shared event loop.
The job's init enforces the wall time inside the sandbox; the host keeps a backstop a few seconds
later that kills through the pool and, failing that, restarts the pool (which kills every job of
that pool: its pid namespace goes).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import selectors
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from executor.gpu_fence import GIB, gpu_out_of_memory
from executor.output import OutputCapture
from executor.pool import PoolBroken, PoolProcess
from executor.protocol import Artifact, RunResult, RunSpec, Status

if TYPE_CHECKING:
    from executor.sandbox import Sandbox

log = logging.getLogger(__name__)

BACKSTOP_S = 5.0  # after the wall time, before the host kills from outside
GIVE_UP_S = 10.0  # after that, before the host declares the pool broken
READ_CHUNK = 1 << 16


@dataclass(slots=True)
class Pipes:
    """The host's ends: read ends kept, write ends (and the code memfd) handed to the pool."""

    stdout_r: int
    stderr_r: int
    report_r: int
    child: list[int] = field(default_factory=list)

    @classmethod
    def open(cls, code: str, results_dir: Path) -> Pipes:
        opened: list[int] = []
        try:
            code_fd = os.memfd_create("job-code", os.MFD_CLOEXEC)
            opened.append(code_fd)
            with open(code_fd, "wb", closefd=False) as handle:
                handle.write(code.encode("utf-8", "surrogatepass"))
            os.lseek(code_fd, 0, os.SEEK_SET)
            ends = [os.pipe2(os.O_CLOEXEC) for _ in range(3)]
            opened += [fd for pair in ends for fd in pair]
            results_fd = os.open(results_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            opened.append(results_fd)
        except OSError:
            for fd in opened:
                os.close(fd)
            raise
        (out_r, out_w), (err_r, err_w), (rep_r, rep_w) = ends
        return cls(out_r, err_r, rep_r, [code_fd, out_w, err_w, rep_w, results_fd])

    def close_child_ends(self) -> None:
        for fd in self.child:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.child = []


@dataclass(slots=True)
class Watch:
    """What happened on the host side while the job ran."""

    report: bytearray = field(default_factory=bytearray)
    cancel_requested: bool = False
    host_killed: bool = False
    output_killed: bool = False
    pool_failed: bool = False


_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class JobRun:
    def __init__(self, sandbox: Sandbox, spec: RunSpec, cancel: threading.Event | None) -> None:
        self.sandbox = sandbox
        self.spec = spec
        self.cancel = cancel
        # The queue's id (one id from the interaction to the sandbox's report), or a fresh one.
        self.job_id = spec.job_id if spec.job_id and _SAFE_ID.match(spec.job_id) else uuid.uuid4().hex[:16]
        self.capture = OutputCapture(spec.limits.output_bytes)
        self.watch = Watch()
        self.results_dir = (
            sandbox.results_dir / f"{self.job_id}.{uuid.uuid4().hex[:6]}"
        )  # a retry gets its own
        self.begun = self.submitted = self.acked = 0.0

    def execute(self) -> RunResult:
        started = time.monotonic()
        self.begun = time.time()
        uid = self.sandbox.uids.acquire()
        try:
            self.results_dir.mkdir(parents=True, mode=0o755)
            result = self._attempt(uid)
        except PoolBroken as exc:
            log.warning("job %s: %s", self.job_id, exc)
            result = RunResult(
                Status.WORKER_LOST,
                None,
                "",
                f"[sandbox] worker lost: {exc}\n",
                duration_s=time.monotonic() - started,
            )
        finally:
            self._clean_up()
            self.sandbox.uids.release(uid)
        log.debug(
            "job %s (%s) %s in %.3f s",
            self.job_id,
            self.spec.framework,
            result.status,
            time.monotonic() - started,
        )
        return result

    def _attempt(self, uid: int) -> RunResult:
        """Start on the pool; a pool that turns out broken before the job started gets one retry."""
        for attempt in (1, 2):
            pool = self.sandbox.pool(self.spec.framework)
            pipes = Pipes.open(self.spec.code, self.results_dir)
            try:
                try:
                    self.submitted = time.time()
                    pool.submit(self.job_id, self._message(uid), pipes.child)
                    self.acked = time.time()
                finally:
                    pipes.close_child_ends()
            except PoolBroken:
                for fd in (pipes.stdout_r, pipes.stderr_r, pipes.report_r):
                    os.close(fd)
                self.sandbox.discard_pool(pool)
                if attempt == 2:
                    raise
                continue
            self._collect(pool, pipes)
            return self._verdict(pool)
        raise AssertionError("unreachable")

    def _message(self, uid: int) -> dict[str, Any]:
        spec = self.spec
        return {
            "op": "run",
            "job": self.job_id,
            "uid": uid,
            "rootless": self.sandbox.host.rootless,
            "limits": spec.limits.to_dict(),
            "env": self.sandbox.env_for(spec),
            "device": self.sandbox.device_for(spec),
            "spare": self.sandbox.spare_for(spec),
            "lazy_cuda": spec.lazy_cuda,
            # Once the job's context exists, its children get the GPU without MPS (see gpu_fence.py).
            "direct_gpu": self.sandbox.gpu or "",
            "framework": spec.framework,
            "script": script_name(spec.name),
            "artifacts": self.sandbox.artifact_policy,
        }

    def _collect(self, pool: PoolProcess, pipes: Pipes) -> None:
        limits = self.spec.limits
        backstop = time.monotonic() + limits.wall_s + BACKSTOP_S
        give_up = backstop + GIVE_UP_S
        selector = selectors.DefaultSelector()
        names = {pipes.stdout_r: "stdout", pipes.stderr_r: "stderr", pipes.report_r: "report"}
        for fd in names:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        try:
            while selector.get_map():
                timeout = 0.05 if self.cancel is not None else 0.5
                for key, _ in selector.select(timeout):
                    self._read(selector, key.fd, names[key.fd])
                if pipes.report_r not in selector.get_map():
                    # The init reports after every job process got SIGKILL: what they wrote is in
                    # the pipes now, so drain them; do not wait for the kernel to finish the exits.
                    self._drain(selector, names)
                    break
                now = time.monotonic()
                if self.cancel is not None and self.cancel.is_set() and not self.watch.cancel_requested:
                    self.watch.cancel_requested = True
                    pool.signal_job(self.job_id, "cancel")
                    backstop = min(backstop, now + 2.0)
                    give_up = backstop + GIVE_UP_S
                if self.capture.total > limits.output_kill_bytes and not self.watch.output_killed:
                    self.watch.output_killed = True
                    self._kill_from_outside(pool)
                if now > backstop and not self.watch.host_killed:
                    log.warning("job %s: past its wall time and still running; killing it", self.job_id)
                    self._kill_from_outside(pool)
                if now > give_up:
                    log.error(
                        "job %s: unkillable through its pool; restarting the %s pool",
                        self.job_id,
                        self.spec.framework,
                    )
                    self.watch.pool_failed = True
                    self.sandbox.discard_pool(pool)
                    break
        finally:
            for fd in list(selector.get_map()):
                selector.unregister(fd)
            selector.close()
            for fd in names:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def _drain(self, selector: selectors.BaseSelector, names: dict[int, str]) -> None:
        for fd in list(selector.get_map()):
            while fd in selector.get_map():
                before = self.capture.total
                self._read(selector, fd, names[fd])
                if self.capture.total == before:
                    break

    def _read(self, selector: selectors.BaseSelector, fd: int, name: str) -> None:
        try:
            data = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return
        if not data:
            selector.unregister(fd)
            return
        if name == "report":
            self.watch.report += data[: max(0, (1 << 20) - len(self.watch.report))]
        else:
            self.capture.feed(name, data)

    def _kill_from_outside(self, pool: PoolProcess) -> None:
        self.watch.host_killed = True
        pool.signal_job(self.job_id, "kill")

    def _verdict(self, pool: PoolProcess) -> RunResult:
        report = parse_report(bytes(self.watch.report))
        self._log_trace(report.get("trace"))
        prepared = report.get("prepared") or {}
        if self.sandbox.fenced(self.spec) and prepared.get("mps") is False:
            self.sandbox.fence_not_in_effect("a spare's CUDA context did not go through MPS")
        notes = list(report.get("notes", []))
        status = self._status(report, pool)
        if status is Status.WORKER_LOST:
            notes.append(f"worker lost: {report.get('setup_error') or 'the pool died during the job'}")
        notes += self._gpu_notes(status)
        if not (status is Status.MEMORY_LIMIT and self._gpu_out_of_memory()):
            notes += status_notes(status, self.spec, self.capture.dropped_bytes)
        if self.spec.device == "cuda" and not self.sandbox.gpu:
            notes.append("no GPU on this worker; ran on CPU")
        stderr = self.capture.text("stderr") + "".join(f"[sandbox] {n}\n" for n in notes)
        exit_code = report.get("exit_code")
        return RunResult(
            status=status,
            exit_code=exit_code if isinstance(exit_code, int) else None,
            stdout=self.capture.text("stdout"),
            stderr=stderr,
            truncated=self.capture.truncated,
            dropped_bytes=self.capture.dropped_bytes,
            duration_s=float(report.get("duration_s", 0.0)),
            device=str(report.get("device", "cpu")),
            prepared=report.get("prepared"),
            artifacts=[
                Artifact(a["name"], int(a["size"]), str(self.results_dir / a["name"]))
                for a in report.get("artifacts", [])
            ],
        )

    def _log_trace(self, trace: dict[str, float] | None) -> None:
        """Where a job's time went, at debug level: host submit, init, job start, exit, report."""
        if not trace or not log.isEnabledFor(logging.DEBUG):
            return
        marks = sorted(
            {
                "begun": self.begun,
                "submitted": self.submitted,
                "acked": self.acked,
                "collected": time.time(),
                **trace,
            }.items(),
            key=lambda kv: kv[1],
        )
        first = marks[0][1]
        log.debug(
            "job %s trace: %s", self.job_id, " ".join(f"{k}+{(v - first) * 1000:.1f}ms" for k, v in marks)
        )

    def _status(self, report: dict[str, Any], pool: PoolProcess) -> Status:
        watch = self.watch
        if watch.cancel_requested or report.get("cancelled"):
            return Status.CANCELLED
        if report.get("timed_out") or (watch.host_killed and not watch.output_killed):
            return Status.TIMEOUT
        if watch.output_killed:
            return Status.OUTPUT_LIMIT
        if report.get("oom_killed"):
            return Status.MEMORY_LIMIT
        if watch.pool_failed or "exit_code" not in report or report.get("setup_error"):
            return Status.WORKER_LOST
        exit_code = report.get("exit_code")
        if exit_code == -signal.SIGXCPU:
            return Status.TIMEOUT
        if exit_code != 0 and (
            ends_with_memory_error(self.capture.text("stderr")) or self._gpu_out_of_memory()
        ):
            return Status.MEMORY_LIMIT
        if self.capture.truncated:
            return Status.OUTPUT_LIMIT
        return Status.OK if exit_code == 0 else Status.ERROR

    def _gpu_out_of_memory(self) -> bool:
        return self.sandbox.device_for(self.spec) == "cuda" and gpu_out_of_memory(self.capture.text("stderr"))

    def _gpu_notes(self, status: Status) -> list[str]:
        """Plain words for the two ways a CUDA job typically fails here."""
        stderr = self.capture.text("stderr")
        if any(symptom in stderr for symptom in FORK_SYMPTOMS):
            return [FORK_HINT]
        if status is Status.MEMORY_LIMIT and self._gpu_out_of_memory():
            if self.sandbox.fenced(self.spec):
                cap = self.sandbox.fence.cap_bytes / GIB
                return [
                    f"GPU memory limit reached: each job may use at most {cap:g} GiB of GPU memory; "
                    "the job was stopped (other jobs on this GPU were not affected)"
                ]
            return ["the GPU ran out of memory; the job was stopped"]
        return []

    def _clean_up(self) -> None:
        with contextlib.suppress(OSError):
            self.results_dir.rmdir()  # only if the job left no artifacts


# What a job's forked children hit when the parent had CUDA (or autograd's threads) running.
FORK_SYMPTOMS = (
    "Cannot re-initialize CUDA in forked subprocess",
    "Unable to handle autograd's threading in combination with fork-based multiprocessing",
)
FORK_HINT = (
    "hint: CUDA was already initialised when your code started (the worker prepares it ahead to "
    "save time), and a process forked after that cannot use CUDA. Start worker processes with "
    "'spawn' or 'forkserver' (torch.multiprocessing.start_processes(..., start_method=\"spawn\"), or "
    'mp.set_start_method("spawn") under `if __name__ == "__main__":`), or put `# cuda: lazy` as '
    "the first line of your code to get a CUDA that only your code initialises"
)


def parse_report(raw: bytes) -> dict[str, Any]:
    try:
        report = json.loads(raw) if raw else {}
    except ValueError:
        return {"setup_error": "garbled report from the job's init"}
    return report if isinstance(report, dict) else {}


def ends_with_memory_error(stderr: str) -> bool:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return bool(lines) and lines[-1].startswith("MemoryError")


def status_notes(status: Status, spec: RunSpec, dropped: int) -> list[str]:
    limits = spec.limits
    if status is Status.TIMEOUT:
        return [f"time limit reached (wall {limits.wall_s:g} s, CPU {limits.cpu_s:g} s); the job was killed"]
    if status is Status.MEMORY_LIMIT:
        return [f"memory limit of {limits.memory_mb} MB reached; the job was killed"]
    if status is Status.OUTPUT_LIMIT:
        return [f"output over {limits.output_bytes} bytes; {dropped} bytes dropped"]
    if status is Status.CANCELLED:
        return ["cancelled"]
    return []


def script_name(name: str | None) -> str:
    """A safe file name for the job's script: its name with .py, or main.py."""
    if not name:
        return "main.py"
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(name).stem)[:60].strip("_")
    return f"{safe or 'main'}.py"
