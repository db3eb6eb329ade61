"""`python -m executor run` in a real subprocess, and demos read from a demos dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.executor.conftest import needs_sandbox

pytestmark = pytest.mark.timeout(180)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "executor", *args],
        capture_output=True,
        text=True,
        timeout=170,
        cwd=Path(__file__).resolve().parents[2],
    )


@needs_sandbox
def test_run_json_with_binary_junk(tmp_path: Path) -> None:
    script = tmp_path / "junk.py"
    script.write_text(
        "import sys\nsys.stdout.buffer.write(b'ok \\xff\\x00\\xfe')\nprint()\nraise SystemExit(4)\n"
    )
    proc = cli("run", "--code-file", str(script), "--json", "--timeout", "10", "--results-dir", str(tmp_path))
    assert proc.returncode == 4, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result) == {
        "status",
        "exit_code",
        "stdout",
        "stderr",
        "truncated",
        "dropped_bytes",
        "duration_s",
        "device",
        "artifacts",
    }
    assert (result["status"], result["exit_code"], result["device"]) == ("error", 4, "cpu")
    assert result["stdout"].startswith("ok \ufffd\x00\ufffd")


@needs_sandbox
def test_run_prints_the_jobs_output(tmp_path: Path) -> None:
    script = tmp_path / "hello.py"
    script.write_text("print('hello from the sandbox')\n")
    proc = cli("run", "--code-file", str(script))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello from the sandbox\n"
    assert "status ok" in proc.stderr


def test_unknown_demo_is_an_error() -> None:
    proc = cli("run", "--demo", "no-such-demo-anywhere", "--json")
    assert proc.returncode == 2
    assert "no such demo" in proc.stderr


def test_load_demo_reads_the_header(tmp_path: Path) -> None:
    # Imported here: it needs the content bank's dependencies (yaml, pydantic), and the cgroup v2
    # tests in this directory must collect on a host with nothing but Python and pytest.
    from executor.demos import load_demo

    (tmp_path / "tiny.py").write_text("# framework: pytorch\n# timeout: 12\nprint('hi')\n")
    (tmp_path / "broken.py").write_text("print('no header')\n")
    source, framework, timeout = load_demo("tiny", tmp_path)
    assert (framework, timeout) == ("torch", 12)
    assert source.endswith("print('hi')\n")
    with pytest.raises(ValueError):
        load_demo("broken", tmp_path)
    with pytest.raises(KeyError):
        load_demo("../etc/passwd", tmp_path)


def test_worker_refuses_a_negative_gpu_memory_cap() -> None:
    proc = cli("worker", "--queue", "sqlite:///unused.db", "--gpu-memory-cap", "-1")
    assert proc.returncode == 2
    assert "--gpu-memory-cap" in proc.stderr
