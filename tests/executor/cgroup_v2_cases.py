"""Cases for test_cgroup_v2.py, each run in a child process: `python -m tests.executor.cgroup_v2_cases CASE`.

The child is where cgroups change (it moves itself and its helpers around), so the test process
itself stays where it is. On a cgroup v1 host the child runs in a private mount namespace with a
cgroup2 hierarchy mounted over /sys/fs/cgroup (the kernel's one unified hierarchy: only the
controllers no v1 hierarchy holds are free there). Prints one JSON line, or `SKIP: reason`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from executor import cgroups

ROOT = cgroups.ROOT


def _write(path: Path, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def _offered(path: Path) -> set[str]:
    return set((path / "cgroup.controllers").read_text().split())


class Skip(Exception):
    """This host cannot run the case; the message says why."""


def _enable_at_root(controllers: tuple[str, ...]) -> None:
    """The root cgroup may hold processes and still enable controllers for its children."""
    enabled = set((ROOT / "cgroup.subtree_control").read_text().split())
    missing = [c for c in controllers if c not in enabled]
    if missing:
        try:
            _write(ROOT / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))
        except OSError as exc:
            raise Skip(f"cannot enable {' '.join(missing)} at {ROOT} ({exc})") from exc


@contextlib.contextmanager
def holder() -> Iterator[Path]:
    """A fresh cgroup under the root for this case; removed (leaf and subtrees first) afterwards."""
    path = ROOT / f"backprop-test-{uuid.uuid4().hex[:10]}"
    path.mkdir()
    try:
        yield path
    finally:
        for _ in range(50):
            dirs = sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts))
            for d in [*dirs, path]:
                with contextlib.suppress(OSError):
                    d.rmdir()
            if not path.exists():
                break
            time.sleep(0.1)


def case_leaf() -> dict:
    """A cgroup holding a process cannot enable controllers for children: its processes move to a leaf."""
    offered = _offered(ROOT)
    want = ("memory", "pids") if {"memory", "pids"} <= offered else tuple(sorted(offered))[:1]
    if not want:
        return {"skip": "the cgroup2 root offers no controller at all here"}
    _enable_at_root(want)
    with holder() as h:
        sleeper = subprocess.Popen(["sleep", "300"])
        try:
            _write(h / "cgroup.procs", str(sleeper.pid))
            before = (h / "cgroup.procs").read_text().split()
            moved = cgroups.enable_v2_controllers(h, want)
            return {
                "controllers": list(want),
                "before": before,
                "moved": moved,
                "holder_procs": (h / "cgroup.procs").read_text().split(),
                "leaf_procs": (h / cgroups.LEAF / "cgroup.procs").read_text().split(),
                "subtree_control": (h / "cgroup.subtree_control").read_text().split(),
                "sleeper": str(sleeper.pid),
            }
        finally:
            sleeper.kill()
            sleeper.wait()


def case_missing() -> dict:
    """A parent that offers no memory or pids: the tree is refused with a reason, never silently."""
    with holder() as h:
        inner = h / "inner"
        inner.mkdir()
        tree, problem = cgroups.CgroupTree.attempt(cgroups.tree_name(), parent=f"/{h.name}/inner")
        return {"tree": tree is not None, "problem": problem}


def case_sandbox() -> dict:
    """The executor in a cgroup of its own that holds processes (as in a container): it must move
    them to a leaf, enable memory and pids, and jobs must then be held to their limits."""
    if not {"memory", "pids"} <= _offered(ROOT):
        return {
            "skip": f"the cgroup2 root offers {' '.join(sorted(_offered(ROOT))) or 'nothing'}, not memory "
            "and pids (on a cgroup v1 host they belong to the v1 hierarchies)"
        }
    _enable_at_root(("memory", "pids"))
    from executor.protocol import Limits, RunSpec
    from executor.sandbox import Sandbox

    with holder() as h:
        _write(h / "cgroup.procs", "0")  # this process: the executor's own cgroup is now h
        sleeper = subprocess.Popen(["sleep", "300"])  # a second member, as in a container
        try:
            with Sandbox() as box:
                tree = box.cgroups
                hog = "blocks = []\nfor _ in range(64):\n    blocks.append(bytearray(16 * 1024 * 1024))\n"
                memory = box.run(RunSpec(hog, limits=Limits(memory_mb=128)))
                bomb = (
                    "import threading\nstop = threading.Event()\nn = 0\ntry:\n"
                    "    for _ in range(200):\n        threading.Thread(target=stop.wait, daemon=True).start()\n"
                    "        n += 1\nexcept RuntimeError:\n    pass\nprint(n)\nstop.set()\n"
                )
                pids = box.run(RunSpec(bomb, limits=Limits(processes=32)))
                ok = box.run(RunSpec("print(6 * 7)"))
                result = {
                    "tree": None if tree is None else [str(b) for b in tree.bases],
                    "version": None if tree is None else tree.version,
                    "problem": box.cgroup_problem,
                    "subtree_control": (h / "cgroup.subtree_control").read_text().split(),
                    "holder_procs": (h / "cgroup.procs").read_text().split(),
                    "leaf_has_sleeper": str(sleeper.pid)
                    in (h / cgroups.LEAF / "cgroup.procs").read_text().split(),
                    "memory": str(memory.status),
                    "threads": pids.stdout.strip(),
                    "pids_status": str(pids.status),
                    "ok": [str(ok.status), ok.stdout],
                }
        finally:
            sleeper.kill()
            sleeper.wait()
            _write(ROOT / "cgroup.procs", "0")  # out of the test's cgroups, so they can go
    return result


CASES = {"leaf": case_leaf, "missing": case_missing, "sandbox": case_sandbox}

if __name__ == "__main__":
    try:
        outcome = CASES[sys.argv[1]]()
    except Skip as exc:
        outcome = {"skip": str(exc)}
    if "skip" in outcome:
        print(f"SKIP: {outcome['skip']}")
    else:
        print(json.dumps(outcome))
    sys.stdout.flush()
    os._exit(0)
