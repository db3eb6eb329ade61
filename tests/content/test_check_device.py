"""`content check --device cuda`: which items get the GPU, spawn-safe runs, frameworks not installed."""

from __future__ import annotations

import pytest

from content import __main__ as content_cli
from content.check import CheckItem, items_of, subprocess_runner
from content.loader import load_bank


def test_on_cuda_tensorflow_stays_on_the_cpu_and_the_rest_get_the_gpu() -> None:
    items = items_of(load_bank(), device="cuda")
    assert {i.device for i in items if i.framework == "tensorflow"} == {"cpu"}
    # Listed errors are triggered on the CPU, where their messages were recorded; the rest go to the GPU.
    assert {i.device for i in items if i.framework != "tensorflow" and i.raises is None} == {"cuda"}
    assert {i.device for i in items_of(load_bank())} == {"cpu"}


def test_the_fallback_runner_runs_a_script_file_so_spawn_works() -> None:
    source = (
        "import multiprocessing as mp\n\n"
        "def double(x):\n    return 2 * x\n\n"
        "if __name__ == '__main__':\n"
        "    with mp.get_context('spawn').Pool(1) as pool:\n"
        "        print('spawned', pool.map(double, [21]))\n"
    )
    outcome = subprocess_runner(CheckItem("spawn", "python", source, "spawned [42]", 60))
    assert outcome.ok, outcome.output
    assert "spawned [42]" in outcome.output


def test_a_framework_that_is_not_installed_is_skipped_saying_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(content_cli, "FRAMEWORK_MODULES", {"python": "no_such_module_for_backprop"})
    bank = load_bank()
    topic = next(t for t, v in bank.topics.items() if v.code and all(s.framework == "python" for s in v.code))
    assert content_cli.main(["check", "--no-demos", "--device", "cuda", topic]) == 0
    out = capsys.readouterr().out
    assert "python snippets and demos skipped: no_such_module_for_backprop is not installed here" in out
    assert "0 checked: 0 passed, 0 failed" in out
