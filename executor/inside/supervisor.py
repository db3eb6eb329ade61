"""A job's init: pid 1 of the job's own namespaces. Prepares ahead, then supervises one job.

The pool keeps one of these forked ahead of demand (a "spare"): it has already unshared the
mount, network, IPC and UTS namespaces, made and joined a cgroup of its own, mounted a /proc,
brought loopback up and forked the job process, which waits, already reset to a fresh
interpreter's state. When a job arrives the init sets the cgroup's limits, mounts the private,
size-capped work dir, /tmp and /dev/shm, and hands the job its code and pipes. Then it waits:
for the job's main process to end, for the wall time to run out, or for the pool's SIGTERM
(cancel). It kills every process left in the namespace, copies ./out/ to the host's results dir
and writes one JSON report. Its exit takes the namespaces, and every mount of the job, away.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import time
from dataclasses import dataclass, field
from typing import Any, NoReturn

from . import artifacts, job, linux, wire
from .cgroup import JobCgroup

WATCHED = {signal.SIGCHLD, signal.SIGTERM}


@dataclass(slots=True)
class Fds:
    code: int
    stdout: int
    stderr: int
    report: int
    results: int

    @classmethod
    def of(cls, fds: list[int]) -> Fds:
        return cls(*fds[: len(wire.RUN_FDS)])


@dataclass(slots=True)
class Outcome:
    exit_code: int | None = None
    timed_out: bool = False
    cancelled: bool = False
    duration_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)


def main(
    pool: socket.socket,
    pristine: dict[str, Any],
    cgroup_config: dict[str, Any],
    prepare: str = "",
    host_ipc: bool = False,
) -> NoReturn:
    """Run as the freshly forked spare: prepare, wait for one job, supervise it, exit.

    `prepare` names the device preparation its job process does while it waits (devprep.py);
    with `host_ipc` that happens in the pool's IPC namespace (MPS needs it) and the job process
    moves to an IPC namespace of its own when its job arrives."""
    signal.pthread_sigmask(signal.SIG_BLOCK, WATCHED)
    problem = None
    child = None
    spare_trace = {"spare": time.time()}
    group = join_own_cgroup(cgroup_config)
    spare_trace["spare_cgroup"] = time.time()
    try:
        prepare_namespaces(host_ipc)
        spare_trace["spare_ns"] = time.time()
        child = fork_job_process(pool, pristine, prepare, host_ipc)
        spare_trace["spare_forked"] = time.time()
    except Exception as exc:  # reported with the job, so the host learns why
        problem = f"{type(exc).__name__}: {exc}"
    message, fds = wire.receive(pool)
    pool.close()
    if message is None:
        os._exit(0)
    handles = Fds.of(fds)
    report: dict[str, Any] = {"job": message["job"], "trace": {**spare_trace, "init": time.time()}}
    code = 0
    try:
        if problem or child is None:
            raise RuntimeError(problem or "no job process")
        message["memory_cgroup"] = group is not None
        if group is not None:
            group.limit(int(message["limits"]["memory_mb"]), int(message["limits"]["processes"]))
        outcome = supervise(message, handles, child)
        report["oom_killed"] = group.oom_killed() if group is not None else False
        report.update(
            exit_code=outcome.exit_code,
            timed_out=outcome.timed_out,
            cancelled=outcome.cancelled,
            duration_s=round(outcome.duration_s, 4),
            device=outcome.meta.get("device", "cpu"),
            notes=outcome.meta.get("notes", []),
        )
        if "prepared" in outcome.meta:
            report["prepared"] = outcome.meta["prepared"]
        report["trace"].update(outcome.meta.pop("trace", {}))
        if not outcome.meta.get("ready"):
            report["setup_error"] = outcome.meta.get("error") or "the job exited before it started"
        copied, skipped = artifacts.collect(message.get("artifacts", {}), handles.results)
        report["artifacts"] = copied
        report["notes"] = report["notes"] + skipped
        report["trace"]["reported"] = time.time()
    except BaseException as exc:  # report any failure to set up: the host must learn why
        report["setup_error"] = f"{type(exc).__name__}: {exc}"
        code = wire.SETUP_FAILED
    try:
        data = memoryview(json.dumps(report).encode())
        while data:
            data = data[os.write(handles.report, data) :]
        # Done: closing the report tells the host so; the clean-up below happens after.
        os.close(handles.report)
        kill_everything()
        if group is not None:
            group.leave_and_remove()
    finally:
        os._exit(code)


def join_own_cgroup(config: dict[str, Any]) -> JobCgroup | None:
    """This spare's cgroup, made and joined now, so the job process is born in it."""
    if not config.get("fds"):
        return None
    group = JobCgroup(int(config["version"]), list(config["fds"]))
    try:
        group.create_and_join()
    except OSError:
        group.leave_and_remove()
        return None
    return group


def prepare_namespaces(host_ipc: bool = False) -> None:
    ipc = 0 if host_ipc else linux.CLONE_NEWIPC
    linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWNET | ipc | linux.CLONE_NEWUTS)
    linux.make_mounts_private()
    hardened = linux.MS_NOSUID | linux.MS_NODEV | linux.MS_NOEXEC
    linux.mount("proc", "/proc", "proc", hardened)
    with contextlib.suppress(OSError):  # only some jobs need it (gloo, CUDA); never fatal
        linux.mount("sysfs", "/sys", "sysfs", hardened | linux.MS_RDONLY)
    linux.sethostname("sandbox")
    linux.loopback_up()
    # bubblewrap's root and /dev are tmpfs mounts the pool shares with every job. As root their
    # directories belong to root, but rootless they belong to the one uid every job maps to, so a
    # job could leave files there for the next one: read-only in this job's mount namespace.
    for target in ("/", "/dev"):
        linux.remount_read_only(target)


@dataclass(slots=True)
class JobProcess:
    """The forked job process: its pid, the socket its job goes down, the pipe it says "done" on."""

    pid: int
    sock: socket.socket
    done: int


def fork_job_process(
    pool: socket.socket, pristine: dict[str, Any], prepare: str = "", host_ipc: bool = False
) -> JobProcess:
    """Fork the job process now; it resets itself and waits on the returned socket for its job."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    done_r, done_w = os.pipe2(os.O_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        try:
            pool.close()
            ours.close()
            os.close(done_r)
            job.main(theirs, pristine, done_w, prepare, host_ipc)  # never returns
        finally:
            os._exit(wire.SETUP_FAILED)  # a forked child must never return into this code
    theirs.close()
    os.close(done_w)
    return JobProcess(pid, ours, done_r)


def supervise(message: dict[str, Any], fds: Fds, child: JobProcess) -> Outcome:
    protect_from_oom_killer()
    # Rootless: the job's uid lives in a nested user namespace mapped onto the pool's uid 0.
    owner = 0 if message.get("rootless") else int(message["uid"])
    mount_private_dirs(owner, int(message["limits"]["workdir_mb"]))
    started = time.monotonic()
    wire.send(child.sock, message, [fds.code, fds.stdout, fds.stderr])
    for fd in (fds.code, fds.stdout, fds.stderr):
        os.close(fd)
    outcome = wait_for(child, started + float(message["limits"]["wall_s"]))
    outcome.duration_s = time.monotonic() - started
    exited = time.time()
    signal_everything()
    outcome.meta = read_meta(child.sock)
    outcome.meta.setdefault("trace", {})["exited"] = exited
    return outcome


def protect_from_oom_killer() -> None:
    """Within the job's memory cgroup the OOM killer must pick the job, never its init."""
    with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as handle:
        handle.write("-1000")


def mount_private_dirs(uid: int, size_mb: int) -> None:
    flags = linux.MS_NOSUID | linux.MS_NODEV
    linux.mount("tmpfs", wire.WORKDIR, "tmpfs", flags, f"size={size_mb}m,mode=0700,uid={uid},gid={uid}")
    linux.mount("tmpfs", "/tmp", "tmpfs", flags, f"size={size_mb}m,mode=1777")
    linux.mount("tmpfs", "/dev/shm", "tmpfs", flags, f"size={size_mb}m,mode=1777")
    restore_shadowed_prefixes()


def restore_shadowed_prefixes() -> None:
    """An interpreter installed under /tmp (a checkout there, say) was just hidden by the job's own
    /tmp: bind it back, read-only, from the copy the pool keeps at its stash path."""
    for pair in filter(None, os.environ.get(wire.REBIND_ENV, "").split(os.pathsep)):
        stash, _, target = pair.partition("=")
        os.makedirs(target, mode=0o755, exist_ok=True)
        linux.mount(stash, target, None, linux.MS_BIND | linux.MS_REC)
        linux.mount(
            "none",
            target,
            None,
            linux.MS_BIND | linux.MS_REMOUNT | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV,
        )


def wait_for(child: JobProcess, deadline: float) -> Outcome:
    """Wait until the job's main process says it is done (its exit status, written just before
    `_exit`, so the report need not wait for the kernel to tear down a large address space) or
    exits without saying so, the deadline passes, or the pool cancels the job (SIGTERM)."""
    outcome = Outcome()
    wake_r, wake_w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
    for sig in WATCHED:
        signal.signal(sig, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, WATCHED)
    os.set_blocking(child.done, False)
    watched = [child.done, wake_r]
    while True:
        status = reap(child.pid)
        if status is not None:
            outcome.exit_code = os.waitstatus_to_exitcode(status)
            return outcome
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            outcome.timed_out = True
            return outcome
        ready, _, _ = select.select(watched, [], [], remaining)
        if wake_r in ready and signal.SIGTERM in _drain(wake_r):
            outcome.cancelled = True
            return outcome
        if child.done in ready:
            said = _drain(child.done).split(b"\n")[0]
            if said.lstrip(b"-").isdigit():
                outcome.exit_code = int(said)
                return outcome
            watched.remove(child.done)  # closed (exec, or the code closed it): wait for the exit


def _drain(fd: int) -> bytes:
    chunks = []
    with contextlib.suppress(BlockingIOError):
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
    return b"".join(chunks)


def reap(pid: int) -> int | None:
    """Reap every zombie; the wait status of `pid` if it was among them."""
    found = None
    while True:
        try:
            child, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if child == 0:
            return found
        if child == pid:
            found = status


def signal_everything() -> None:
    """SIGKILL every process in the namespace but this one; reaping them comes after the report."""
    for _ in range(2):
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)


def kill_everything() -> None:
    """SIGKILL every process in the namespace (pid 1 itself excepted) until none is left."""
    while True:
        with contextlib.suppress(ProcessLookupError):
            os.kill(-1, signal.SIGKILL)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def read_meta(sock: socket.socket) -> dict[str, Any]:
    """What the job sent before its code ran: {"ready": true, "device": ..., "notes": [...]}."""
    sock.setblocking(False)
    try:
        message, fds = wire.receive(sock)
    except (BlockingIOError, ValueError):
        message, fds = None, []
    finally:
        sock.close()
    for fd in fds:
        os.close(fd)
    return message or {}
