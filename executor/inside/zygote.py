"""The warm pool: import the framework once, then fork a fresh, isolated job per request.

Runs inside the pool's bwrap sandbox as root with a handful of capabilities (never the job's).
It imports the framework but runs no framework code, so no thread pool and no CUDA context exists
when it forks. It keeps one job init forked ahead of demand (a spare, see supervisor.py); each
request goes to the spare and the next spare is forked. On a GPU worker it keeps two: a plain one
(CPU jobs, and CUDA jobs that asked for a lazily initialised CUDA) and one whose job process
prepares CUDA while it waits (devprep.py); the request says which it wants. It never reads a job's code (that travels
in a memfd straight to the job), so a job cannot find an earlier job's code in memory it inherits.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib
import json
import logging
import os
import select
import signal
import socket
import sys
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import devprep, linux, supervisor, wire

log = logging.getLogger("executor.pool")


@contextlib.contextmanager
def recording_atexit(registered: list[tuple[Any, tuple[Any, ...], dict[str, Any]]]) -> Iterator[None]:
    """Note each atexit.register made while the pool imports: each job later keeps the useful ones."""
    original = atexit.register

    def register(func: Any, *args: Any, **kwargs: Any) -> Any:
        registered.append((func, args, kwargs))
        return original(func, *args, **kwargs)

    atexit.register = register  # type: ignore[assignment]
    try:
        yield
    finally:
        atexit.register = original  # type: ignore[assignment]


def preload(modules: list[str]) -> list[str]:
    """Import what jobs will import; returns the modules that failed (logged, not fatal)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # a missing optional module must not take the pool down
            log.warning("preload %s failed: %s", name, exc)
            failed.append(name)
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].use("Agg")
    return failed


def thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return -1


@dataclass(slots=True)
class Spare:
    """A job init forked ahead of demand, waiting on `sock` for its job."""

    pid: int
    sock: socket.socket


PLAIN = "plain"
PREPARED = "prepared"


class Pool:
    """The request loop: each `run` goes to the waiting spare of its kind; then the next is forked."""

    def __init__(
        self,
        sock: socket.socket,
        framework: str,
        pristine: dict[str, Any],
        cgroup_config: dict[str, Any],
        prepare: str = "",
        prepared_spares: int = 1,
        host_ipc: bool = False,
    ) -> None:
        self.sock = sock
        self.host_ipc = host_ipc
        self.cgroup_config = cgroup_config
        self.framework = framework
        self.pristine = {**pristine, "framework": framework}
        self.prepare = prepare
        self.own_pid_ns = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
        self.jobs: dict[str, int] = {}
        # Spares waiting, oldest first, and how many of each kind to keep: preparing CUDA takes
        # a while, so a burst of CUDA jobs is served by several spares preparing in parallel.
        self.wanted = {PLAIN: 1, PREPARED: max(1, prepared_spares)}
        self.spares: dict[str, list[Spare]] = {kind: [] for kind in self.kinds()}

    def kinds(self) -> tuple[str, ...]:
        return (PLAIN, PREPARED) if self.prepare else (PLAIN,)

    def serve(self) -> int:
        for kind in self.kinds():
            self.refill(kind)
        while True:
            ready, _, _ = select.select([self.sock], [], [], 0.5)
            self.reap()
            if not ready:
                continue
            message, fds = wire.receive(self.sock)
            if message is None:
                log.info("host went away; pool exits")
                return 0
            self.handle(message, fds)

    def handle(self, message: dict[str, Any], fds: list[int]) -> None:
        op = message.get("op")
        if op == "run":
            self.start(message, fds)
            return
        for fd in fds:
            os.close(fd)
        if op == "status":  # what a test or the doctor may ask: did the pool itself prepare a device?
            wire.send(self.sock, {"op": "status", "job": message.get("job"), "prepared": devprep.PREPARED})
            return
        pid = self.jobs.get(str(message.get("job")))
        if pid is None:
            return
        sig = signal.SIGTERM if op == "cancel" else signal.SIGKILL
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)

    def start(self, message: dict[str, Any], fds: list[int]) -> None:
        job_id = str(message["job"])
        kind = PREPARED if message.get("spare") == PREPARED and self.prepare else PLAIN
        try:
            pid = self.hand_over(kind, message, fds)
        except OSError as exc:
            log.error("could not start job %s: %s", job_id, exc)
            wire.send(self.sock, {"op": "failed", "job": job_id, "error": str(exc)})
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.jobs[job_id] = pid
        wire.send(self.sock, {"op": "started", "job": job_id, "spare": kind})
        self.refill(kind)

    def refill(self, kind: str) -> None:
        while len(self.spares[kind]) < self.wanted[kind]:
            self.spares[kind].append(self.fork_spare(kind))

    def hand_over(self, kind: str, message: dict[str, Any], fds: list[int]) -> int:
        """Give the job to the spare of its kind; a spare that died meanwhile is replaced once."""
        for attempt in (1, 2):
            waiting = self.spares[kind]
            spare = waiting.pop(0) if waiting else self.fork_spare(kind)
            try:
                wire.send(spare.sock, message, fds)
                return spare.pid
            except OSError:
                if attempt == 2:
                    raise
                log.warning("spare %d was gone; forking another", spare.pid)
            finally:
                spare.sock.close()
        raise AssertionError("unreachable")

    def fork_spare(self, kind: str = PLAIN) -> Spare:
        """fork() a job init as pid 1 of a new pid namespace; the pool itself stays where it was.

        A PREPARED spare's job process prepares the device while it waits; the pool never does."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        sys.stderr.flush()
        linux.unshare(linux.CLONE_NEWPID)
        try:
            pid = os.fork()
        except OSError:
            linux.setns(self.own_pid_ns, linux.CLONE_NEWPID)
            raise
        if pid == 0:
            try:
                ours.close()
                self.sock.close()
                os.close(self.own_pid_ns)
                prepare = self.prepare if kind == PREPARED else ""
                host_ipc = self.host_ipc and kind == PREPARED  # its CUDA context is made in the host's
                supervisor.main(theirs, self.pristine, self.cgroup_config, prepare, host_ipc)  # never returns
            finally:
                os._exit(wire.SETUP_FAILED)  # a forked child must never return into the pool loop
        linux.setns(self.own_pid_ns, linux.CLONE_NEWPID)
        theirs.close()
        return Spare(pid, ours)

    def reap(self) -> None:
        while True:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            for kind, waiting in self.spares.items():
                for spare in [s for s in waiting if s.pid == pid]:
                    log.warning("%s spare %d died before it got a job", kind, pid)
                    spare.sock.close()
                    waiting.remove(spare)
            for job_id, job_pid in list(self.jobs.items()):
                if job_pid == pid:
                    del self.jobs[job_id]


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format=f"%(levelname)s pool[{config['framework']}]: %(message)s",
    )
    sock = socket.socket(fileno=int(config["fd"]))
    # What a fresh interpreter would have, captured before the framework changes it.
    pristine = {
        "warnings": list(warnings.filters),
        "path": [p for p in sys.path if p not in ("", wire.INSIDE_ROOT)],
    }
    started = time.monotonic()
    pristine["atexit"] = []
    with recording_atexit(pristine["atexit"]):
        failed = preload(list(config.get("preload", [])))
    gc.collect()
    gc.freeze()  # imported objects stay put: fewer copy-on-write faults in every job
    ready = {
        "op": "ready",
        "framework": config["framework"],
        "pid": os.getpid(),
        "import_s": round(time.monotonic() - started, 3),
        "modules": len(sys.modules),
        "threads": thread_count(),
        "failed": failed,
        "prepare": config.get("prepare", ""),
        "pid_ns": devprep.identity()["pid_ns"],
    }
    log.info("ready: %s", ready)
    wire.send(sock, ready)
    pool = Pool(
        sock,
        config["framework"],
        pristine,
        config.get("cgroup") or {},
        config.get("prepare", ""),
        int(config.get("prepared_spares", 1)),
        bool(config.get("host_ipc")),
    )
    return pool.serve()
