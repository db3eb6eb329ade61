"""The CUDA warm-up a spare runs while it waits, exercised on the CPU (same kernels' entry points).

On a GPU it runs in every CUDA-ready spare before the job's code, so it must leave no trace a job
could notice: no autograd engine threads (fork-based multiprocessing would then break autograd in
the job's children, as seen on an H200) and unchanged random number generators.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from executor.inside import devprep  # noqa: E402


def test_the_warm_up_never_runs_autograds_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the warm-up ran autograd's backward")

    monkeypatch.setattr(torch.autograd, "_engine_run_backward", refuse)
    monkeypatch.setattr(torch.autograd.graph, "_engine_run_backward", refuse)
    laps: list[str] = []
    devprep.warm_up(torch.device("cpu"), laps.append)
    assert laps == ["cublas", "cudnn", "training_step", "common_ops"]


def test_the_warm_up_leaves_the_random_state_as_it_found_it() -> None:
    torch.manual_seed(1234)
    expected = torch.rand(4)
    torch.manual_seed(1234)
    devprep.warm_up(torch.device("cpu"))
    assert torch.equal(torch.rand(4), expected)


def test_an_unknown_preparation_is_recorded_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(devprep, "PREPARED", None)
    record = devprep.prepare("quantum", "torch")
    devprep.set_comm(record["comm"])  # it renamed this process as a prepared spare
    assert "unknown device preparation" in record["error"]
    assert not devprep.cuda_ready()
