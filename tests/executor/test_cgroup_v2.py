"""cgroup v2: the executor's own subtree with memory and pids, or a loud reason why not.

Run them on a cgroup v2 host with `pytest tests/executor -k cgroup_v2` (as root). Each case runs in
a child process (tests/executor/cgroup_v2_cases.py) because it moves processes between cgroups. On
a cgroup v1 host (like the one this project is built on) the child gets a private mount namespace
with the unified hierarchy mounted over /sys/fs/cgroup, where only controllers that no v1
hierarchy holds are free: the leaf-and-subtree_control mechanics and the refusal run there; the
memory and pids limits need a real v2 host and skip elsewhere, saying so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _how_to_reach_v2() -> tuple[list[str] | None, str]:
    """(argv prefix that runs a command with cgroup2 at /sys/fs/cgroup, or None; why not)."""
    if os.geteuid() != 0:
        return None, f"changing cgroups needs root (uid {os.geteuid()})"
    if Path("/sys/fs/cgroup/cgroup.controllers").exists():
        return [], ""
    if shutil.which("unshare") is None:
        return None, "cgroup v1 host and no unshare(1) to mount cgroup2 privately"
    probe = subprocess.run(
        [
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "sh",
            "-c",
            "mount -t cgroup2 none /sys/fs/cgroup",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return None, f"cgroup v1 host and the kernel refuses a private cgroup2 mount: {probe.stderr.strip()}"
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount -t cgroup2 none /sys/fs/cgroup && exec "$@"',
        "sh",
    ], ""


PREFIX, REASON = _how_to_reach_v2()
needs_v2 = pytest.mark.skipif(PREFIX is None, reason=f"no cgroup v2 hierarchy here: {REASON}")


def run_case(name: str) -> dict:
    assert PREFIX is not None
    proc = subprocess.run(
        [*PREFIX, sys.executable, "-m", "tests.executor.cgroup_v2_cases", name],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    if last.startswith("SKIP: "):
        pytest.skip(last.removeprefix("SKIP: "))
    return json.loads(last)


@needs_v2
def test_cgroup_v2_processes_move_to_a_leaf_so_controllers_can_be_enabled() -> None:
    seen = run_case("leaf")
    assert seen["before"] == [seen["sleeper"]]
    assert seen["moved"] is True
    assert seen["holder_procs"] == []
    assert seen["sleeper"] in seen["leaf_procs"]
    assert set(seen["controllers"]) <= set(seen["subtree_control"])


@needs_v2
def test_cgroup_v2_without_memory_and_pids_the_tree_is_refused_with_the_reason() -> None:
    seen = run_case("missing")
    assert seen["tree"] is False
    assert "not offered the memory and pids controller" in seen["problem"], seen


@needs_v2
def test_cgroup_v2_jobs_get_memory_and_pids_limits() -> None:
    seen = run_case("sandbox")
    assert seen["version"] == 2 and seen["problem"] == "", seen
    assert {"memory", "pids"} <= set(seen["subtree_control"])
    assert seen["holder_procs"] == [] and seen["leaf_has_sleeper"], seen
    assert seen["memory"] == "memory_limit", seen
    assert int(seen["threads"]) < 32, seen
    assert seen["ok"] == ["ok", "42\n"], seen
