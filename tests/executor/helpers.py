"""Helpers for the executor tests: run a snippet, find a job's leftover processes, check health."""

from __future__ import annotations

import time
from pathlib import Path

from executor.protocol import Limits, RunResult, RunSpec
from executor.sandbox import Sandbox

# Jobs under test that check for survivors print their uid first.
UID_LINE = "import os; print(f'uid={os.getuid()}', flush=True)\n"


def run(sandbox: Sandbox, code: str, framework: str = "python", **limits: object) -> RunResult:
    return sandbox.run(RunSpec(code, framework=framework, limits=Limits(**limits)))  # type: ignore[arg-type]


def processes_of(uid: int, settle_s: float = 5.0) -> list[int]:
    """Host pids whose real uid is `uid` (a job's uid is its own: none may outlive the job).

    Every job process has been sent SIGKILL when a result comes back; the kernel may still be
    tearing some down (a large address space takes a moment), so allow `settle_s` for that."""
    deadline = time.monotonic() + settle_s
    while (found := _processes_of(uid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("Uid:") and int(line.split()[1]) == uid:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def assert_healthy(sandbox: Sandbox, framework: str = "python", pool_pid: int | None = None) -> None:
    """The pool still answers (and is the same process, if given) and runs a job normally."""
    if pool_pid is not None:
        assert sandbox.pool_pid(framework) == pool_pid, "the pool was restarted"
    result = sandbox.run(RunSpec("print(6 * 7)", framework=framework))
    assert (result.status, result.stdout) == ("ok", "42\n"), result


def job_uid(result: RunResult) -> int:
    """Jobs under test print `uid=<n>` on their first line."""
    first = result.stdout.splitlines()[0]
    assert first.startswith("uid="), result
    return int(first.removeprefix("uid="))
