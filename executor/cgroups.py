"""The executor's cgroup subtree, in which each job's init makes the job's own cgroup.

cgroup v1 (a hierarchy per controller, as on this host) and v2 (one unified hierarchy) are both
handled. The subtree lives under the executor's own cgroup (or a configured parent), so the limits
the container already has still apply. Pools get directory fds of it, never the filesystem (see
executor/inside/cgroup.py). Where no writable hierarchy exists, `CgroupTree.create` returns None
and the executor falls back to rlimits.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids")
MB = 1024 * 1024
PREFIX = "backprop-executor-"


def _write(path: Path, value: str) -> None:
    with open(path, "w") as handle:
        handle.write(value)


def _own_paths() -> dict[str, str]:
    """controller -> this process's cgroup path ("" for the v2 unified hierarchy)."""
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _num, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


_serial = itertools.count(1)


def tree_name() -> str:
    """Unique per Sandbox: the process id (for finding stale trees) and a serial number."""
    return f"{PREFIX}{os.getpid()}-{next(_serial)}"


def _remove_stale(parent: Path) -> None:
    """Trees left by executors that died without cleaning up (their pid no longer exists)."""
    for tree in parent.glob(f"{PREFIX}*"):
        pid = tree.name.removeprefix(PREFIX).split("-")[0]
        if not pid.isdigit() or Path(f"/proc/{pid}").exists():
            continue
        for job in [tree, *tree.iterdir()][::-1]:
            if job.is_dir():
                with contextlib.suppress(OSError):
                    job.rmdir()


@dataclass(slots=True)
class CgroupTree:
    """The executor's own subtree: one directory per hierarchy, with a cgroup per job under it."""

    bases: tuple[Path, ...]
    version: int

    @classmethod
    def create(cls, name: str, root: Path = ROOT, parent: str | None = None) -> CgroupTree | None:
        try:
            if (root / "cgroup.controllers").exists():
                return cls._create_v2(name, root, parent)
            return cls._create_v1(name, root, parent)
        except OSError as exc:
            log.warning("no usable cgroups (%s); memory and process limits fall back to rlimits", exc)
            return None

    @classmethod
    def _create_v1(cls, name: str, root: Path, parent: str | None) -> CgroupTree | None:
        own = _own_paths()
        bases = []
        for controller in V1_CONTROLLERS:
            mount = root / controller
            if not (mount / "cgroup.procs").exists():
                log.warning("cgroup v1 controller %s is not mounted at %s", controller, mount)
                return None
            where = parent if parent is not None else own.get(controller, "/")
            base = mount / where.lstrip("/") / name
            _remove_stale(base.parent)
            base.mkdir(exist_ok=True)
            bases.append(base)
        return cls(tuple(bases), 1)

    @classmethod
    def _create_v2(cls, name: str, root: Path, parent: str | None) -> CgroupTree | None:
        where = parent if parent is not None else _own_paths().get("", "/")
        holder = root / where.lstrip("/")
        available = (holder / "cgroup.controllers").read_text().split()
        if not {"memory", "pids"} <= set(available):
            log.warning("cgroup v2 at %s lacks the memory or pids controller", holder)
            return None
        # Enabling controllers for children fails while the parent itself holds processes
        # ("no internal processes"); configure a delegated, empty parent in production.
        _write(holder / "cgroup.subtree_control", "+memory +pids")
        base = holder / name
        _remove_stale(holder)
        base.mkdir(exist_ok=True)
        _write(base / "cgroup.subtree_control", "+memory +pids")
        return cls((base,), 2)

    def open_dirs(self) -> list[int]:
        """O_DIRECTORY fds of the subtree, one per hierarchy, for a pool to create job cgroups in."""
        return [os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC) for base in self.bases]

    def sweep(self) -> None:
        """Remove job cgroups that outlived their job (busy when the job ended)."""
        for base in self.bases:
            for d in base.iterdir() if base.exists() else ():
                if d.is_dir():
                    with contextlib.suppress(OSError):
                        d.rmdir()

    def remove(self) -> None:
        self.sweep()
        for base in self.bases:
            with contextlib.suppress(OSError):
                base.rmdir()
