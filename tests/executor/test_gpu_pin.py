"""`--device cuda` with no GPU pinned: the first GPU is used, and the executor says so plainly."""

from __future__ import annotations

import logging
import os

import pytest

from executor.host import gpu_nodes
from executor.sandbox import _pick_gpu, pin_first_gpu
from tests.executor.conftest import needs_sandbox
from tests.executor.test_cli import cli


def test_unpinned_cuda_uses_the_first_gpu_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    devices = ("/dev/nvidia0", "/dev/nvidia1")
    assert _pick_gpu(None, devices) is None  # the old behaviour: unpinned meant CPU
    with caplog.at_level(logging.WARNING, logger="executor.sandbox"):
        assert pin_first_gpu(devices) == "0"
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "0"
    assert _pick_gpu(None, devices) == "0"
    assert "the first GPU (0) is used" in caplog.text


def test_a_pinned_gpu_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    assert pin_first_gpu(("/dev/nvidia0", "/dev/nvidia1")) is None
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "1"


@needs_sandbox
@pytest.mark.skipif(bool(gpu_nodes()), reason="this host has a GPU: the CPU fallback message does not apply")
def test_cli_cuda_without_a_gpu_says_it_runs_on_cpu(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "hello.py"
    script.write_text("print('hi')\n")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)  # the CLI child inherits this
    proc = cli("run", "--code-file", str(script), "--device", "cuda", "--timeout", "20")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hi\n"
    assert "this host has no NVIDIA GPU" in proc.stderr
