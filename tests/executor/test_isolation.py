"""Hostile snippets, run for real: each must end with the right status, and leave the host and
the pool healthy (same pool process, no job process left behind)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from executor.protocol import RunSpec
from executor.sandbox import Sandbox
from tests.executor.helpers import UID_LINE, assert_healthy, job_uid, processes_of, run

pytestmark = pytest.mark.timeout(120)


def test_infinite_loop_times_out(sandbox: Sandbox) -> None:
    pool = sandbox.pool_pid("python")
    started = time.monotonic()
    result = run(sandbox, UID_LINE + "while True:\n    pass\n", wall_s=1.5)
    assert result.status == "timeout"
    assert 1.4 < time.monotonic() - started < 10
    assert "time limit" in result.stderr
    assert processes_of(job_uid(result)) == []
    assert_healthy(sandbox, pool_pid=pool)


def test_loop_that_ignores_sigterm_is_killed(sandbox: Sandbox) -> None:
    code = UID_LINE + "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n"
    result = run(sandbox, code, wall_s=1.5)
    assert result.status == "timeout"
    assert processes_of(job_uid(result)) == []
    assert_healthy(sandbox)


def test_cpu_time_limit(sandbox: Sandbox) -> None:
    result = run(sandbox, "while True:\n    pass\n", wall_s=30, cpu_s=1)
    assert result.status == "timeout"
    assert result.duration_s < 29  # the CPU limit ended it, not the wall limit


def test_memory_exhaustion(sandbox: Sandbox) -> None:
    pool = sandbox.pool_pid("python")
    code = UID_LINE + "hoard = []\nwhile True:\n    hoard.append(bytearray(10_000_000))\n"
    result = run(sandbox, code, memory_mb=200)
    assert result.status == "memory_limit"
    assert "memory limit" in result.stderr
    assert processes_of(job_uid(result)) == []
    assert_healthy(sandbox, pool_pid=pool)


def test_bounded_fork_bomb(sandbox: Sandbox) -> None:
    code = UID_LINE + (
        "import os, time\n"
        "forked = 0\n"
        "try:\n"
        "    for _ in range(5000):\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(60)\n"
        "            os._exit(0)\n"
        "        forked += 1\n"
        "except OSError as exc:\n"
        "    print('fork refused after', forked, exc.errno)\n"
    )
    result = run(sandbox, code, processes=32)
    assert result.status == "ok", result
    refused = result.stdout.splitlines()[1].split()
    assert refused[:3] == ["fork", "refused", "after"]
    assert int(refused[3]) < 32
    assert processes_of(job_uid(result)) == []
    assert_healthy(sandbox)


def test_thread_bomb(sandbox: Sandbox) -> None:
    code = UID_LINE + (
        "import threading, time\n"
        "started = 0\n"
        "try:\n"
        "    for _ in range(100_000):\n"
        "        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "        started += 1\n"
        "except RuntimeError as exc:\n"
        "    print('thread refused after', started)\n"
    )
    result = run(sandbox, code, processes=64)
    assert result.status == "ok", result
    assert result.stdout.splitlines()[1].startswith("thread refused after")
    assert int(result.stdout.split()[-1]) < 64
    assert processes_of(job_uid(result)) == []
    assert_healthy(sandbox)


def test_hundred_megabytes_of_output(sandbox: Sandbox) -> None:
    code = "import sys\nfor _ in range(100):\n    sys.stdout.buffer.write(b'x' * 1_000_000)\n"
    result = run(sandbox, code)
    assert result.status == "output_limit"
    assert result.truncated
    assert len(result.stdout) == 1_000_000
    assert result.dropped_bytes == 99_000_000
    assert result.exit_code == 0
    assert_healthy(sandbox)


def test_endless_output_is_killed(sandbox: Sandbox) -> None:
    code = "import sys\nwhile True:\n    sys.stdout.write('y' * 65536)\n"
    result = run(sandbox, code, output_bytes=10_000, output_kill_bytes=5_000_000, wall_s=60)
    assert result.status == "output_limit"
    assert len(result.stdout) == 10_000
    assert result.duration_s < 59  # the output limit ended it, not the wall limit
    assert_healthy(sandbox)


def test_no_network_not_even_the_hosts_loopback(sandbox: Sandbox) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.2)
        port = server.getsockname()[1]
        code = (
            "import socket\n"
            f"for address in [('127.0.0.1', {port}), ('1.1.1.1', 53)]:\n"
            "    try:\n"
            "        socket.create_connection(address, timeout=2)\n"
            "        print('connected', address)\n"
            "    except OSError as exc:\n"
            "        print('refused', exc.errno)\n"
            "own = socket.socket(); own.bind(('127.0.0.1', 0)); own.listen()\n"
            "socket.create_connection(own.getsockname(), timeout=2); print('own loopback works')\n"
        )
        result = run(sandbox, code)
        with pytest.raises(TimeoutError):
            server.accept()
    assert result.status == "ok", result
    assert "connected" not in result.stdout
    assert result.stdout.count("refused") == 2
    assert "own loopback works" in result.stdout


def test_no_secrets_in_the_environment_or_proc(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The pool was started before this variable existed, so also check a fresh Sandbox's pool.
    monkeypatch.setenv("DISCORD_TOKEN", "s3cr3t-t0ken-value")
    secret_file = tmp_path / "token.txt"
    secret_file.write_text("s3cr3t-t0ken-value")
    code = (
        "import glob, os\n"
        "hits = [k for k, v in os.environ.items() if 's3cr3t' in v or k.startswith(('DISCORD', 'BACKPROP'))]\n"
        "for path in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):\n"
        "    try:\n"
        "        if b's3cr3t' in open(path, 'rb').read():\n"
        "            hits.append(path)\n"
        "    except OSError:\n"
        "        pass\n"
        f"print('visible' if os.path.exists({str(secret_file)!r}) else 'hidden')\n"
        "print('hits', hits, 'pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
        "print(sorted(os.environ))\n"
    )
    with Sandbox() as fresh:
        result = fresh.run(RunSpec(code))
    assert result.status == "ok", result
    assert "s3cr3t" not in result.stdout
    assert "hidden" in result.stdout
    assert "hits [] pids [1, 2]" in result.stdout
    assert "DISCORD_TOKEN" not in result.stdout


def test_writes_outside_the_work_dir_fail(sandbox: Sandbox) -> None:
    targets = [
        "/etc/evil",
        "/usr/evil",
        "/evil",
        "/home/evil",
        str(Path.cwd() / "evil"),
        "/opt/backprop/inside/evil",
        "/proc/sys/kernel/hostname",
        "/sys/kernel/evil",
    ]
    code = (
        "import os\n"
        f"for path in {targets!r}:\n"
        "    try:\n"
        "        with open(path, 'w') as handle:\n"
        "            handle.write('x')\n"
        "        print('WROTE', path)\n"
        "    except OSError as exc:\n"
        "        print('denied', path)\n"
        "for path in ['/tmp/mine', '/dev/shm/mine', 'mine', 'out/mine.txt']:\n"
        "    open(path, 'w').write('ok'); print('wrote', path)\n"
        "print('project visible:', os.path.exists('/work/main/executor'))\n"
    )
    result = run(sandbox, code)
    assert result.status == "ok", result
    assert "WROTE" not in result.stdout
    assert result.stdout.count("denied") == len(targets)
    assert result.stdout.count("wrote") == 4
    assert "project visible: False" in result.stdout
    assert not (Path.cwd() / "evil").exists()
    assert not Path("/tmp/mine").exists()
    assert [a.name for a in result.artifacts] == ["mine.txt"]


def test_double_forked_daemon_does_not_outlive_the_job(sandbox: Sandbox) -> None:
    marker = f"{os.getpid()}.{time.monotonic_ns() % 100000}"
    code = UID_LINE + (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execvp('sleep', ['sleep', '{marker}'])\n"
        "    os._exit(0)\n"
        "time.sleep(0.3)\n"
        "print('parent leaves')\n"
    )
    result = run(sandbox, code)
    assert result.status == "ok", result
    assert processes_of(job_uid(result)) == []
    survivors = [p for p in Path("/proc").iterdir() if p.name.isdigit() and _cmdline(p).endswith(marker)]
    assert survivors == []  # the daemon ran as the job's uid, so it was gone already
    assert_healthy(sandbox)


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def test_killing_its_parent_fails(sandbox: Sandbox) -> None:
    pool = sandbox.pool_pid("python")
    code = (
        "import os, signal\n"
        "print('parent', os.getppid())\n"
        "for pid in (os.getppid(), 1):\n"
        "    try:\n"
        "        os.kill(pid, signal.SIGKILL)\n"
        "        print('killed', pid)\n"
        "    except PermissionError:\n"
        "        print('not allowed', pid)\n"
        "try:\n"
        "    os.kill(-1, signal.SIGKILL)\n"  # everything it may signal, which is nothing but itself
        "except ProcessLookupError:\n"
        "    print('nothing else to kill')\n"
    )
    result = run(sandbox, code)
    assert result.status == "ok", result
    assert "nothing else to kill" in result.stdout
    if sandbox.host.rootless:
        # One uid for all: the kernel lets the job signal its init, but drops SIGKILL sent to a pid
        # namespace's init from inside it. The job went on ("nothing else to kill") and so did its init.
        assert result.stdout.count("killed 1") == 2, result.stdout
    else:
        assert "killed" not in result.stdout
        assert result.stdout.count("not allowed") == 2
    assert_healthy(sandbox, pool_pid=pool)


def test_second_job_finds_no_trace_of_the_first(sandbox: Sandbox) -> None:
    first = run(
        sandbox,
        (
            "import json, os, socket, subprocess\n"
            "for path in ['trace.txt', '/tmp/trace.txt', '/dev/shm/trace.txt']:\n"
            "    open(path, 'w').write('first')\n"
            "json.dumps = lambda *a, **k: 'patched'\n"
            "os.environ['LEFTOVER'] = '1'\n"
            "keep = socket.socket(); keep.bind(('127.0.0.1', 29555)); keep.listen()\n"
            "subprocess.Popen(['sleep', '30'])\n"
            "print('first done')\n"
        ),
    )
    assert first.status == "ok", first
    second = run(
        sandbox,
        (
            "import json, os, socket\n"
            "print('files', [p for p in ['trace.txt', '/tmp/trace.txt', '/dev/shm/trace.txt'] if os.path.exists(p)])\n"
            "print('json', json.dumps({'a': 1}))\n"
            "print('env', 'LEFTOVER' in os.environ)\n"
            "print('pids', sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
            "s = socket.socket(); s.bind(('127.0.0.1', 29555)); print('port free')\n"
            "print('cwd', sorted(os.listdir('.')))\n"
        ),
    )
    assert second.status == "ok", second
    assert second.stdout.splitlines() == [
        "files []",
        'json {"a": 1}',
        "env False",
        "pids [1, 2]",
        "port free",
        "cwd ['main.py', 'out']",
    ]
