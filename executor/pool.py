"""The host's handle on one warm pool process: start it, hand it jobs, notice when it dies.

The pool runs `executor/inside/zygote.py` under bubblewrap. Host and pool share one AF_UNIX
SOCK_SEQPACKET socket: the host sends JSON requests with the job's fds attached (SCM_RIGHTS),
the pool answers `ready` once and `started` per job. A reader thread dispatches the answers; a
second thread forwards the pool's stderr to logging. Output and reports never pass through here:
they travel on pipes straight from the job to the thread that waits for it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from executor.inside import wire
from executor.inside.devprep import READY_COMM

log = logging.getLogger(__name__)


# bwrap's --die-with-parent fires when the *thread* that started it exits, so every pool is
# started from this one long-lived thread, never from a caller's (possibly short-lived) thread.
_LAUNCHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pool-launcher")


class PoolBroken(RuntimeError):
    """The pool died, never became ready, or stopped answering."""


@dataclass(frozen=True, slots=True)
class PoolMemory:
    """Resident (RSS) and proportional (PSS, shared pages split between sharers) memory in MiB."""

    rss_mb: float
    pss_mb: float
    processes: int


class PoolProcess:
    def __init__(
        self,
        framework: str,
        command: list[str],
        preload: list[str],
        ready_timeout_s: float,
        ack_timeout_s: float = 15.0,
        prepare: str = "",
        prepared_spares: int = 1,
        host_ipc: bool = False,
        cgroup_dirs: Callable[[], list[int]] | None = None,
        cgroup_version: int = 0,
    ) -> None:
        self.framework = framework
        self.cgroup_dirs = cgroup_dirs
        self.cgroup_version = cgroup_version
        self.command = command
        self.preload = preload
        self.prepare = prepare
        self.prepared_spares = prepared_spares
        self.host_ipc = host_ipc
        self.ready_timeout_s = ready_timeout_s
        self.ack_timeout_s = ack_timeout_s
        self.info: dict[str, Any] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._acks: dict[str, tuple[threading.Event, list[dict[str, Any]]]] = {}
        self._acks_lock = threading.Lock()
        self._ready = threading.Event()
        self._dead = threading.Event()

    # life cycle

    def start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        dirs = self.cgroup_dirs() if self.cgroup_dirs else []
        config = json.dumps(
            {
                "framework": self.framework,
                "fd": theirs.fileno(),
                "preload": self.preload,
                "prepare": self.prepare,
                "prepared_spares": self.prepared_spares,
                "host_ipc": self.host_ipc,
                "cgroup": {"version": self.cgroup_version, "fds": dirs},
            }
        )
        started = time.monotonic()
        try:
            self._proc = _LAUNCHER.submit(
                subprocess.Popen,
                [*self.command, config],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=[theirs.fileno(), *dirs],
                start_new_session=True,
            ).result()
        finally:
            theirs.close()
            for fd in dirs:
                os.close(fd)
        self._sock = ours
        if self._dead.is_set():  # killed while it was being launched
            self.stop(grace_s=0.0)
            raise PoolBroken(f"{self.framework} pool was stopped while starting")
        threading.Thread(
            target=self._forward_stderr, name=f"pool-{self.framework}-stderr", daemon=True
        ).start()
        threading.Thread(target=self._read, name=f"pool-{self.framework}-reader", daemon=True).start()
        if not self._ready.wait(self.ready_timeout_s) or self._dead.is_set():
            self.stop()
            raise PoolBroken(f"{self.framework} pool did not become ready in {self.ready_timeout_s:g} s")
        log.info(
            "%s pool ready in %.1f s (pid %s, %s modules, %s threads)",
            self.framework,
            time.monotonic() - started,
            self.pid,
            self.info.get("modules"),
            self.info.get("threads"),
        )

    def alive(self) -> bool:
        return (
            self._proc is not None
            and self._proc.poll() is None
            and self._ready.is_set()
            and not self._dead.is_set()
        )

    def stop(self, grace_s: float = 2.0) -> None:
        """Close the socket (the pool exits on EOF); SIGKILL what is left after `grace_s`."""
        self._dead.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
        proc = self._proc
        if proc is None:
            return
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL bwrap; its init dies with it (--die-with-parent), taking every job along."""
        self._dead.set()
        self._ready.set()  # a start() waiting for the pool gives up now
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)

    @property
    def pid(self) -> int | None:
        """Host pid of bwrap, the root of the pool's process tree."""
        return self._proc.pid if self._proc else None

    # jobs

    def submit(self, job_id: str, message: dict[str, Any], fds: list[int]) -> None:
        """Hand a job to the pool; returns once the pool has forked it. Raises PoolBroken."""
        event = threading.Event()
        answers: list[dict[str, Any]] = []
        with self._acks_lock:
            self._acks[job_id] = (event, answers)
        try:
            self._send(message, fds)
            if not event.wait(self.ack_timeout_s):
                raise PoolBroken(
                    f"{self.framework} pool did not start job {job_id} in {self.ack_timeout_s:g} s"
                )
        finally:
            with self._acks_lock:
                self._acks.pop(job_id, None)
        answer = answers[0] if answers else {"op": "lost"}
        if answer.get("op") != "started":
            raise PoolBroken(
                f"{self.framework} pool could not start the job: {answer.get('error', 'pool died')}"
            )

    def status(self) -> dict[str, Any]:
        """Ask the pool process about itself (e.g. whether it ever prepared a device: it must not)."""
        probe_id = f"status-{time.monotonic_ns()}"
        event = threading.Event()
        answers: list[dict[str, Any]] = []
        with self._acks_lock:
            self._acks[probe_id] = (event, answers)
        try:
            self._send({"op": "status", "job": probe_id})
            if not event.wait(self.ack_timeout_s) or not answers:
                raise PoolBroken(f"{self.framework} pool did not answer a status request")
        finally:
            with self._acks_lock:
                self._acks.pop(probe_id, None)
        return answers[0]

    def signal_job(self, job_id: str, op: str) -> None:
        """op "cancel" (SIGTERM to the job's init: it reports) or "kill" (SIGKILL)."""
        with contextlib.suppress(OSError, PoolBroken):
            self._send({"op": op, "job": job_id})

    def _send(self, message: dict[str, Any], fds: list[int] | tuple[int, ...] = ()) -> None:
        if self._sock is None or self._dead.is_set():
            raise PoolBroken(f"{self.framework} pool is not running")
        try:
            with self._send_lock:
                wire.send(self._sock, message, fds)
        except OSError as exc:
            self._dead.set()
            raise PoolBroken(f"{self.framework} pool is gone: {exc}") from exc

    # threads

    def _read(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while True:
                message, fds = wire.receive(sock)
                for fd in fds:
                    os.close(fd)
                if message is None:
                    break
                self._dispatch(message)
        except OSError:
            pass
        finally:
            self._dead.set()
            self._ready.set()
            with self._acks_lock:
                for event, _answers in self._acks.values():
                    event.set()
            log.info("%s pool connection closed", self.framework)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if message.get("op") == "ready":
            self.info = message
            self._ready.set()
            return
        with self._acks_lock:
            waiter = self._acks.get(str(message.get("job")))
        if waiter is not None:
            waiter[1].append(message)
            waiter[0].set()

    def _forward_stderr(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stderr is not None
        for raw in proc.stderr:
            log.info("[%s pool] %s", self.framework, raw.decode("utf-8", "replace").rstrip())

    # measurements

    def count_prepared_spares(self) -> int:
        """How many spares of this pool have prepared their device and wait for a job."""
        count = 0
        for pid in _descendants(self.pid) if self.pid else []:
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/comm").read_text().strip() == READY_COMM:
                    count += 1
        return count

    def wait_prepared_spare(self, timeout_s: float = 120.0) -> bool:
        """Wait (polling /proc) until a prepared spare waits; False if none did within timeout_s."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.count_prepared_spares():
                return True
            time.sleep(0.01)
        return False

    def memory(self) -> PoolMemory:
        """Memory of bwrap and everything under it (the pool and any running job)."""
        rss = pss = 0
        pids = _descendants(self.pid) if self.pid else []
        for pid in pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    key, _, value = line.partition(":")
                    if key == "Rss":
                        rss += int(value.split()[0])
                    elif key == "Pss":
                        pss += int(value.split()[0])
        return PoolMemory(rss / 1024, pss / 1024, len(pids))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found
