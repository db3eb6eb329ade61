"""A job's own cgroup, made by its init ahead of time through directory fds the host lent the pool.

The pool never sees a cgroup filesystem: it inherits one O_DIRECTORY fd per hierarchy (the
executor's subtree) and works relative to it. A spare creates its cgroup and moves itself in
before it forks the job process, so the job is born inside (no slow migration on the critical
path); the limits are written when the job arrives; afterwards the init reads whether the OOM
killer struck, steps back out to the parent and removes the cgroup.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field

MB = 1024 * 1024


def _write(name: str, value: str, dir_fd: int) -> None:
    fd = os.open(name, os.O_WRONLY, dir_fd=dir_fd)
    try:
        os.write(fd, value.encode())
    finally:
        os.close(fd)


def _read(name: str, dir_fd: int) -> str:
    fd = os.open(name, os.O_RDONLY, dir_fd=dir_fd)
    try:
        return os.read(fd, 65536).decode()
    finally:
        os.close(fd)


@dataclass(slots=True)
class JobCgroup:
    """One cgroup per hierarchy (v1: memory and pids; v2: one), named after this spare."""

    version: int
    parents: list[int]
    name: str = field(default_factory=lambda: f"job-{secrets.token_hex(6)}")
    dirs: list[int] = field(default_factory=list)

    def create_and_join(self) -> None:
        for parent in self.parents:
            os.mkdir(self.name, 0o755, dir_fd=parent)
            fd = os.open(self.name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)
            self.dirs.append(fd)
            _write("cgroup.procs", "0", fd)

    def limit(self, memory_mb: int, processes: int) -> None:
        memory = str(memory_mb * MB)
        for fd in self.dirs:
            names = set(os.listdir(fd))
            if "memory.max" in names:
                _write("memory.max", memory, fd)
                with contextlib.suppress(OSError):
                    _write("memory.swap.max", "0", fd)
            if "memory.limit_in_bytes" in names:
                _write("memory.limit_in_bytes", memory, fd)
                with contextlib.suppress(OSError):  # absent without swap accounting
                    _write("memory.memsw.limit_in_bytes", memory, fd)
            if "pids.max" in names:
                _write("pids.max", str(processes), fd)

    def oom_killed(self) -> bool:
        for fd in self.dirs:
            for name in ("memory.events", "memory.oom_control"):
                try:
                    text = _read(name, fd)
                except OSError:
                    continue
                for line in text.splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill" and int(value) > 0:
                        return True
        return False

    def leave_and_remove(self) -> None:
        """Move this (last) process back to the parent, then rmdir the now empty cgroups."""
        for parent, fd in zip(self.parents, self.dirs, strict=False):
            with contextlib.suppress(OSError):
                _write("cgroup.procs", "0", parent)
            os.close(fd)
            with contextlib.suppress(OSError):
                os.rmdir(self.name, dir_fd=parent)
        self.dirs = []
