"""The Sandbox API for real: concurrency, asyncio, cancelling, rejecting, artifacts, restarts."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from executor.protocol import MAX_WALL_S, Limits, RunResult, RunSpec
from executor.sandbox import Sandbox
from tests.executor.helpers import assert_healthy, run

pytestmark = pytest.mark.timeout(120)


def test_runs_like_a_fresh_python(sandbox: Sandbox) -> None:
    code = (
        "import os, sys\n"
        "print(__name__, os.path.basename(__file__), sys.argv[0] == __file__)\n"
        "print(os.getcwd(), os.getpid(), os.getuid() != 0, os.environ['HOME'])\n"
        "import logging; logging.basicConfig(level=logging.INFO); logging.info('logged')\n"
        "print(input.__name__, sys.stdin.read() == '')\n"
        "raise SystemExit(3)\n"
    )
    result = run(sandbox, code)
    assert result.status == "error"
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "__main__ main.py True",
        "/home/sandbox 2 True /home/sandbox",
        "input True",
    ]
    assert "INFO:root:logged" in result.stderr


def test_uncaught_exception_is_a_python_traceback(sandbox: Sandbox) -> None:
    result = run(sandbox, "def f():\n    return 1 / 0\nf()\n")
    assert result.status == "error"
    assert result.exit_code == 1
    assert result.stderr.startswith(
        'Traceback (most recent call last):\n  File "/home/sandbox/main.py", line 3'
    )
    assert "ZeroDivisionError: division by zero" in result.stderr
    assert "inside" not in result.stderr  # the sandbox's own frames are not shown


def test_concurrent_jobs_from_threads(sandbox: Sandbox) -> None:
    def job(i: int) -> RunResult:
        return run(sandbox, f"import time\ntime.sleep(0.2)\nprint({i} * {i})\n")

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(job, range(8)))
    assert [r.status for r in results] == ["ok"] * 8
    assert [r.stdout for r in results] == [f"{i * i}\n" for i in range(8)]


async def test_arun_does_not_block_the_event_loop(sandbox: Sandbox) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    counting = asyncio.create_task(ticker())
    results = await asyncio.gather(
        *(sandbox.arun(RunSpec(f"import time; time.sleep(1); print({i})")) for i in range(3))
    )
    counting.cancel()
    assert [r.stdout for r in results] == ["0\n", "1\n", "2\n"]
    assert ticks >= 10


async def test_arun_cancel_event(sandbox: Sandbox) -> None:
    cancel = asyncio.Event()
    asyncio.get_running_loop().call_later(0.5, cancel.set)
    started = time.monotonic()
    result = await sandbox.arun(RunSpec("import time\ntime.sleep(30)\n"), cancel)
    assert result.status == "cancelled"
    assert time.monotonic() - started < 10


async def test_cancelling_the_task_stops_the_job(sandbox: Sandbox) -> None:
    marker = f"cancel-{os.getpid()}-{time.monotonic_ns()}"
    code = f"import os\nos.execvp('sh', ['sh', '-c', 'sleep 30; echo {marker}'])"
    task = asyncio.create_task(sandbox.arun(RunSpec(code)))
    await asyncio.sleep(1.0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not await asyncio.to_thread(_still_running, marker)


def _still_running(marker: str, settle_s: float = 5.0) -> bool:
    """Killed processes may take the kernel a moment to finish exiting."""
    deadline = time.monotonic() + settle_s
    while any(marker in _cmdline(pid) for pid in os.listdir("/proc") if pid.isdigit()):
        if time.monotonic() > deadline:
            return True
        time.sleep(0.05)
    return False


def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().decode(errors="replace")
    except OSError:
        return ""


def test_threading_cancel(sandbox: Sandbox) -> None:
    cancel = threading.Event()
    threading.Timer(1.5, cancel.set).start()
    result = sandbox.run(RunSpec("print('started', flush=True)\nwhile True:\n    pass\n"), cancel)
    assert result.status == "cancelled"
    assert result.stdout == "started\n"
    assert_healthy(sandbox)


@pytest.mark.parametrize(
    "spec, reason",
    [
        (RunSpec("pass", limits=Limits(wall_s=MAX_WALL_S + 1)), "wall_s"),
        (RunSpec("pass", framework="jax"), "framework"),
        (RunSpec("pass", device="tpu"), "device"),
        (RunSpec("pass", limits=Limits(memory_mb=1)), "memory_mb"),
    ],
)
def test_rejected_before_running(sandbox: Sandbox, spec: RunSpec, reason: str) -> None:
    result = sandbox.run(spec)
    assert result.status == "rejected"
    assert reason in result.stderr
    assert result.exit_code is None


def test_artifacts_come_back(sandbox: Sandbox) -> None:
    code = (
        "import os\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot([0, 1], [1, 0]); plt.savefig('out/line.png')\n"
        "open('out/notes.txt', 'w').write('hello')\n"
        "os.symlink('/etc/hostname', 'out/link.txt')\n"
        "open('out/program.exe', 'w').write('no')\n"
        "open('out/huge.txt', 'w').write('x' * 9_000_000)\n"
        "for i in range(12):\n"
        "    open(f'out/many{i:02d}.csv', 'w').write(str(i))\n"
    )
    result = run(sandbox, code)
    assert result.status == "ok", result
    names = [a.name for a in result.artifacts]
    assert names[:2] == ["line.png", "many00.csv"] and len(names) == 10
    assert "link.txt" not in names and "program.exe" not in names and "huge.txt" not in names
    png = result.artifacts[0]
    with open(png.path, "rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    assert os.path.getsize(png.path) == png.size
    assert "not returned" in result.stderr


def test_binary_output_gives_valid_json(sandbox: Sandbox) -> None:
    code = "import os, sys\nsys.stdout.buffer.write(bytes(range(256)) * 4)\nsys.stderr.buffer.write(b'\\xff\\xfe\\xc3')\n"
    result = run(sandbox, code)
    assert result.status == "ok"
    text = json.dumps(result.to_dict())
    again = RunResult.from_dict(json.loads(text))
    assert again.stdout == result.stdout and again.status == "ok"
    assert "\ufffd" in again.stderr


def test_cuda_request_without_gpu_runs_on_cpu(sandbox: Sandbox) -> None:
    if sandbox.gpu:
        pytest.skip("this host has a GPU")
    result = sandbox.run(RunSpec("import os; print(repr(os.environ['CUDA_VISIBLE_DEVICES']))", device="cuda"))
    assert result.status == "ok"
    assert result.device == "cpu"
    assert result.stdout == "''\n"
    assert "no GPU" in result.stderr


def test_a_dead_pool_is_restarted(sandbox: Sandbox) -> None:
    before = sandbox.pool_pid("python")
    assert before is not None
    threading.Timer(2.0, os.killpg, (before, signal.SIGKILL)).start()
    lost = run(sandbox, "import time\ntime.sleep(20)\n")
    assert lost.status == "worker_lost"
    assert_healthy(sandbox)
    assert sandbox.pool_pid("python") not in (None, before)


def test_close_during_warm_up_leaves_no_pool_running() -> None:
    """The bot and the console close their sandbox even while pools are still starting."""
    sandbox = Sandbox()
    errors: list[BaseException] = []

    def warm() -> None:
        try:
            sandbox.warm(["python"])
        except BaseException as exc:  # the test reports whatever escaped
            errors.append(exc)

    warmer = threading.Thread(target=warm)
    warmer.start()
    time.sleep(0.2)
    sandbox.close()
    warmer.join(timeout=120)
    assert not warmer.is_alive()
    assert errors == []
    assert sandbox.pool_pid("python") is None
    assert sandbox.run(RunSpec("print(1)")).status == "rejected"


def test_closing_while_warming_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    """Issue 20: every piped console run ended with `ERROR could not warm the torch pool: the sandbox
    is closed`; stopping a warm-up is what close() is for, and the warm-up ends with the close."""
    sandbox = Sandbox()
    warmer = threading.Thread(target=sandbox.warm, args=(["torch", "python"],))
    with caplog.at_level(logging.INFO, logger="executor"):
        warmer.start()
        time.sleep(0.2)
        sandbox.close()
        warmer.join(timeout=300)
    assert not warmer.is_alive()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
