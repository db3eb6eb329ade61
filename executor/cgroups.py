"""The executor's cgroup subtree, in which each job's init makes the job's own cgroup.

cgroup v1 (a hierarchy per controller, as on this host) and v2 (one unified hierarchy) are both
handled. The subtree lives under the executor's own cgroup (or a configured parent), so the limits
the container already has still apply. Pools get directory fds of it, never the filesystem (see
executor/inside/cgroup.py).

cgroup v2 allows controllers for children only in a cgroup without processes of its own ("no
internal processes"). So as root the executor moves every process of its own cgroup (itself, and
in a container whatever else shares it) into a leaf, `backprop-leaf`, enables `memory` and `pids`
in the now empty cgroup's `cgroup.subtree_control`, and makes its subtree beside the leaf:

    <own cgroup>/                      cgroup.subtree_control: +memory +pids
    ├── backprop-leaf/                 the executor, its pools and any other former members
    └── backprop-executor-<pid>-<n>/   +memory +pids again; one job-<hex>/ per running job

Where that cannot be done (the controllers are not offered to this cgroup, the hierarchy is
read-only, not root) `CgroupTree.attempt` returns the reason, which the executor logs as a
warning, the doctor reports and /demo shows admins: memory and pids then fall back to rlimits.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "pids")
V2_CONTROLLERS = ("memory", "pids")
MB = 1024 * 1024
PREFIX = "backprop-executor-"
LEAF = "backprop-leaf"


class CgroupProblem(OSError):
    """No cgroup subtree with the wanted controllers can be had here; the message says why."""


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


def version(root: Path = ROOT) -> int:
    """2 for a unified (v2) hierarchy at `root`, else 1."""
    return 2 if (root / "cgroup.controllers").exists() else 1


def enable_v2_controllers(holder: Path, controllers: tuple[str, ...] = V2_CONTROLLERS) -> bool:
    """Enable `controllers` for the children of `holder`, first moving every process of `holder`
    into its `backprop-leaf` child if the "no internal processes" rule demands it.
    Returns whether processes were moved. Raises CgroupProblem with the reason otherwise."""
    offered = set((holder / "cgroup.controllers").read_text().split())
    missing = [c for c in controllers if c not in offered]
    if missing:
        raise CgroupProblem(
            f"cgroup v2 at {holder} is not offered the {' and '.join(missing)} controller "
            f"(offered: {' '.join(sorted(offered)) or 'none'}); enable it in the parent's "
            "cgroup.subtree_control or give the executor a delegated cgroup (cgroup_parent)"
        )
    wanted = " ".join(f"+{c}" for c in controllers)
    try:
        _write(holder / "cgroup.subtree_control", wanted)
        return False
    except OSError as exc:
        if exc.errno != errno.EBUSY:
            raise CgroupProblem(f"cannot enable {wanted} in {holder}/cgroup.subtree_control: {exc}") from exc
    leaf = holder / LEAF
    leaf.mkdir(exist_ok=True)
    for _ in range(5):  # processes may fork while they are being moved: repeat until none is left
        pids = (holder / "cgroup.procs").read_text().split()
        if not pids:
            break
        for pid in pids:
            try:
                _write(leaf / "cgroup.procs", pid)
            except ProcessLookupError:
                continue
            except OSError as exc:
                raise CgroupProblem(f"cannot move process {pid} from {holder} into {leaf}: {exc}") from exc
    try:
        _write(holder / "cgroup.subtree_control", wanted)
    except OSError as exc:
        raise CgroupProblem(f"cannot enable {wanted} in {holder}/cgroup.subtree_control: {exc}") from exc
    log.info("moved the processes of %s into %s to enable %s for the executor", holder, leaf, wanted)
    return True


@dataclass(slots=True)
class CgroupTree:
    """The executor's own subtree: one directory per hierarchy, with a cgroup per job under it."""

    bases: tuple[Path, ...]
    version: int

    @classmethod
    def create(cls, name: str, root: Path = ROOT, parent: str | None = None) -> CgroupTree | None:
        tree, problem = cls.attempt(name, root, parent)
        if tree is None:
            log.warning(
                "NO CGROUP LIMITS: %s; per-job memory and process limits fall back to rlimits", problem
            )
        return tree

    @classmethod
    def attempt(
        cls, name: str, root: Path = ROOT, parent: str | None = None
    ) -> tuple[CgroupTree | None, str]:
        """(the tree, "") or (None, why not)."""
        try:
            if version(root) == 2:
                return cls._create_v2(name, root, parent), ""
            return cls._create_v1(name, root, parent), ""
        except OSError as exc:
            return None, str(exc)

    @classmethod
    def _create_v1(cls, name: str, root: Path, parent: str | None) -> CgroupTree:
        own = _own_paths()
        bases = []
        for controller in V1_CONTROLLERS:
            mount = root / controller
            if not (mount / "cgroup.procs").exists():
                raise CgroupProblem(f"cgroup v1 controller {controller} is not mounted at {mount}")
            where = parent if parent is not None else own.get(controller, "/")
            base = mount / where.lstrip("/") / name
            _remove_stale(base.parent)
            try:
                base.mkdir(exist_ok=True)
            except OSError as exc:
                raise CgroupProblem(f"cannot create {base}: {exc.strerror}") from exc
            bases.append(base)
        return cls(tuple(bases), 1)

    @classmethod
    def _create_v2(cls, name: str, root: Path, parent: str | None) -> CgroupTree:
        where = parent if parent is not None else _own_paths().get("", "/")
        holder = root / where.lstrip("/")
        enable_v2_controllers(holder)
        _remove_stale(holder)
        base = holder / name
        try:
            base.mkdir(exist_ok=True)
            _write(base / "cgroup.subtree_control", " ".join(f"+{c}" for c in V2_CONTROLLERS))
        except OSError as exc:
            with contextlib.suppress(OSError):
                base.rmdir()
            raise CgroupProblem(f"cannot set up {base}: {exc}") from exc
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
