"""The tutor on every host: as a real ordinary user (rootless sandbox) and with no sandbox at all.

The ordinary-user tests make a throwaway user (useradd), run the console and the doctor as that
user (setpriv), and delete the user afterwards. They need root to do that (CI runs as root) and
skip elsewhere. A user must be able to read the tree and the Python it runs: where the
interpreter lives under a directory others cannot enter (a pyenv under /root, say), the command
runs in a private mount namespace in which that directory is replaced by a world-readable tmpfs
holding only the interpreter's install (bound read-only): the user sees the same files an
ordinary install would give them, and nothing else of /root.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

PYTHON = sys.executable
TOOLS = ("useradd", "userdel", "setpriv", "unshare")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]
needs_root_tools = pytest.mark.skipif(
    os.geteuid() != 0 or bool(MISSING),
    reason=f"making a throwaway user needs root and {', '.join(TOOLS)} "
    f"(uid {os.geteuid()}, missing: {', '.join(MISSING) or 'none'})",
)
COMMANDS = "/help\n/ask 显存爆了怎么办\n/demo autograd-basics\n"


@dataclass(frozen=True, slots=True)
class User:
    name: str
    uid: int
    home: Path  # a private temp dir the user owns: HOME, cwd and data dir


def _useradd(name: str) -> None:
    command = [
        "useradd",
        "--system",
        "--no-create-home",
        "--user-group",
        "--shell",
        "/usr/sbin/nologin",
        name,
    ]
    for _ in range(50):  # parallel test workers may hold the passwd lock for a moment (exit 10)
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if proc.returncode == 0:
            return
        if proc.returncode != 10 and "lock" not in proc.stderr:
            raise AssertionError(f"useradd {name}: {proc.stderr}")
        time.sleep(0.2)
    raise AssertionError(f"useradd {name}: the passwd lock stayed busy")


def _userdel(name: str, uid: int) -> None:
    for entry in Path("/proc").iterdir():  # only this throwaway uid's processes: ours
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if entry.stat().st_uid == uid:
                    os.kill(int(entry.name), signal.SIGKILL)
    for _ in range(50):
        proc = subprocess.run(["userdel", name], capture_output=True, text=True, check=False)
        if proc.returncode in (0, 6):  # 6: no such user
            return
        time.sleep(0.2)


@pytest.fixture(scope="module")
def user() -> Iterator[User]:
    name = f"bp{uuid.uuid4().hex[:10]}"
    _useradd(name)
    uid = int(subprocess.run(["id", "-u", name], capture_output=True, text=True, check=True).stdout)
    home = Path(tempfile.mkdtemp(prefix=f"backprop-{name}-"))
    os.chown(home, uid, uid)
    try:
        yield User(name, uid, home)
    finally:
        _userdel(name, uid)
        shutil.rmtree(home, ignore_errors=True)


def _world_enterable(path: str) -> bool:
    return bool(os.stat(path).st_mode & stat.S_IXOTH)


def _blocked_ancestor(path: str) -> str | None:
    """The highest directory above `path` that others may not enter, if any."""
    parts = Path(path).parts
    for i in range(2, len(parts) + 1):
        candidate = str(Path(*parts[:i]))
        if os.path.isdir(candidate) and not _world_enterable(candidate):
            return candidate
    return None


def _mount_script(home: Path) -> str:
    """Shell lines that make the interpreter, venv and tree reachable for another user (see above)."""
    needed = sorted({os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, str(REPO))})
    by_blocked: dict[str, list[str]] = {}
    for path in needed:
        blocked = _blocked_ancestor(path)
        if blocked is not None and blocked != path:
            by_blocked.setdefault(blocked, []).append(path)
    lines = ["set -e", "stage=$(mktemp -d /tmp/backprop-stage.XXXXXX)", "i=0"]
    for blocked, paths in by_blocked.items():
        for n, path in enumerate(paths):
            lines.append(f"mkdir -p $stage/{n} && mount --bind {shlex.quote(path)} $stage/{n}")
        lines.append(f"mount -t tmpfs -o mode=0755,size=1m tmpfs {shlex.quote(blocked)}")
        for n, path in enumerate(paths):
            lines.append(f"mkdir -p {shlex.quote(path)} && mount --bind $stage/{n} {shlex.quote(path)}")
            lines.append(f"mount -o remount,bind,ro {shlex.quote(path)}")
    return "\n".join(lines)


def as_user(
    user: User, argv: list[str], *, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 600
):
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(user.home),
        "TMPDIR": str(user.home),  # jieba's cache and the sandbox's state go with the user
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "BACKPROP_DATA_DIR": str(user.home / "data"),
        "BACKPROP_CONFIG": str(user.home / "config.yaml"),
        **(env or {}),
    }
    assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
    script = (
        _mount_script(user.home)
        + f"\ncd {shlex.quote(str(user.home))}\n"
        + f"exec setpriv --reuid {user.uid} --regid {user.uid} --clear-groups --inh-caps=-all "
        + f"--bounding-set=-all env -i {assignments} {shlex.join(argv)}\n"
    )
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "bash", "-c", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@needs_root_tools
def test_an_ordinary_user_gets_the_console_and_a_rootless_demo(user: User) -> None:
    proc = as_user(user, [PYTHON, "-m", "bot", "console"], stdin=COMMANDS)
    both = proc.stdout + proc.stderr
    assert proc.returncode == 0, both
    assert "Traceback" not in both, both
    assert "/ask" in proc.stdout and "/demo" in proc.stdout  # /help
    assert "显存" in proc.stdout  # /ask found the GPU-memory topic
    assert "x.grad = [4.5, 4.5, 4.5, 4.5]" in proc.stdout, both  # the demo ran in the sandbox
    assert "rootless mode" in proc.stderr
    # No cgroup limits for an ordinary user (unless systemd delegated some): said in the log, and
    # in a footer for admins (the console user is one) under the demo's result.
    assert ("NO CGROUP LIMITS" in proc.stderr) == ("给管理员：这个执行器没有 cgroup" in proc.stdout), both


@needs_root_tools
def test_an_ordinary_user_is_refused_run_with_a_reason_for_admins(user: User) -> None:
    proc = as_user(user, [PYTHON, "-m", "bot", "console"], stdin="/settings language en\n/run print(6 * 7)\n")
    assert proc.returncode == 0, proc.stderr
    assert "rootless mode" in proc.stdout and "run_code_rootless" in proc.stdout, proc.stdout
    allowed = as_user(
        user,
        [PYTHON, "-m", "bot", "console"],
        stdin="/settings run-code on\n/run print(6 * 7)\n",
        env={"BACKPROP_RUN_CODE_ROOTLESS": "true"},
    )
    assert "\n42\n" in allowed.stdout, allowed.stdout + allowed.stderr


@needs_root_tools
def test_the_doctor_reports_rootless_for_an_ordinary_user(user: User) -> None:
    proc = as_user(user, [PYTHON, "-m", "executor", "doctor", "--json"])
    report = json.loads(proc.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert report["mode"] == "rootless", report
    assert proc.returncode == 1 and report["ok"] is False  # a production worker needs root
    assert checks["privileges"]["ok"] is False
    for name in ("bubblewrap", "sandbox", "namespaces", "network isolation", "python job", "torch job"):
        assert checks[name]["ok"], checks[name]
    assert "Traceback" not in proc.stderr, proc.stderr


@needs_root_tools
def test_the_hostile_tests_hold_in_rootless_mode(user: User) -> None:
    # The executor's own hostile tests, run as the ordinary user: every one must hold (the table in
    # docs/sandbox.md lists what differs and why).
    proc = as_user(
        user,
        [
            PYTHON,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-n",
            "0",
            str(REPO / "tests/executor/test_isolation.py"),
        ],
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and "skipped" not in proc.stdout, proc.stdout[-2000:]


@needs_root_tools
def test_user_namespaces_refused_means_no_sandbox_and_says_why(user: User) -> None:
    # The kernel's refusal cannot be switched on for one test on a shared host: a bwrap that fails
    # the way bubblewrap does there stands in for it.
    fake = user.home / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n")
    fake.chmod(0o755)
    code = f"from executor.host import detect; h = detect({str(fake)!r}); print(h.mode, h.problem)"
    proc = as_user(user, [PYTHON, "-c", code])
    assert proc.stdout.split() == ["none", "no-userns"], proc.stdout + proc.stderr


def _console_as_root(env: dict[str, str], cwd: Path, commands: str) -> subprocess.CompletedProcess[str]:
    """The console as this (root) process's user, `commands` on its stdin and `env` as its whole environment."""
    return subprocess.run(
        [PYTHON, "-m", "bot", "console"],
        input=commands,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_without_bubblewrap_the_console_answers_and_demo_explains(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": str(tmp_path / "empty"),  # no bwrap anywhere on it
        "BACKPROP_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(REPO),
    }
    proc = _console_as_root(
        env,
        tmp_path,
        "/help\n/demo autograd-basics\n/settings language en\n/demo autograd-basics\n/run print(1)\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "/ask" in proc.stdout
    assert "没有安装沙箱程序 bubblewrap" in proc.stdout  # /demo in Chinese first
    assert proc.stdout.count("the bubblewrap sandbox is not installed") == 2  # /demo and /run in English
    assert "code execution is unavailable on this host" in proc.stderr


def test_without_bubblewrap_the_doctor_says_none(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [PYTHON, "-m", "executor", "doctor", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    report = json.loads(proc.stdout)
    assert proc.returncode == 1
    assert report["mode"] == "none" and report["ok"] is False
    assert report["checks"][0] == {
        "name": "bubblewrap",
        "ok": False,
        "detail": "bubblewrap (bwrap) is not installed: apt-get install bubblewrap",
    }


def test_a_sandbox_that_fails_to_start_leaves_the_console_working(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BACKPROP_DATA_DIR": str(tmp_path / "data"),
        "BACKPROP_EXECUTOR_PYTHON": str(tmp_path / "no-such-python"),  # the sandbox cannot start
        "PYTHONPATH": str(REPO),
    }
    proc = _console_as_root(env, tmp_path, "/settings language en\n/demo autograd-basics\n/help\n")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "the sandbox did not start (the log says why)" in proc.stdout
    assert "/ask" in proc.stdout
    assert "code execution is unavailable: the sandbox did not start" in proc.stderr
