"""Issue 20, item 2: a piped console exits by itself, quietly, and Ctrl-C cancels a job."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.core.tutor import Tutor
from bot.settings import load_settings
from tests.bot.console_driver import README_EXAMPLE, LiveConsole, loud_lines, run_console

SLOW_SNIPPET = (
    "/run ```python\nimport time\nprint('started', flush=True)\ntime.sleep(60)\nprint('never')\n```\n"
)


def test_parallel_piped_runs_of_the_readme_example_all_exit_quietly(tmp_path: Path) -> None:
    """The benchmark's lighter sibling: `bench/console_runs.py` times 200 of these."""
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda i: run_console(README_EXAMPLE, tmp_path / f"d{i}"), range(6)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert loud_lines(result.stderr) == [], result.stderr
        assert "retain_graph" in result.stdout


async def test_answering_help_and_ask_starts_no_executor_worker(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("BACKPROP_DATA_DIR", str(data_dir))
    tutor = await Tutor.start(load_settings(), lazy_worker=True)
    try:
        from bot.console.repl import CONSOLE_USER

        await tutor.handle("/help", CONSOLE_USER)
        await tutor.handle("/ask what does retain_graph keep", CONSOLE_USER)
        assert tutor.runner is not None and not tutor.runner.worker_started
    finally:
        await tutor.close()


def test_a_demo_run_ends_quietly_too(data_dir: Path) -> None:
    result = run_console("/settings language en\n/demo tensor-vs-numpy\n", data_dir)
    assert result.returncode == 0, result.stderr
    assert "Demo tensor-vs-numpy — done" in result.stdout
    assert loud_lines(result.stderr) == [], result.stderr


def test_ctrl_c_cancels_the_running_job_and_the_console_goes_on(data_dir: Path) -> None:
    console = LiveConsole(data_dir, BACKPROP_LANGUAGE="en")
    console.send("/settings run-code on\n" + SLOW_SNIPPET)
    console.wait_for("Running on")
    console.interrupt()
    console.wait_for("cancelled")
    console.send("/help\n")
    console.wait_for("/leaderboard")
    console.close_input()
    assert console.wait() == 0
    assert "never" not in console.stdout
    assert "on none" not in console.stdout  # no timing footer for a job that was stopped
    assert loud_lines(console.stderr) == [], console.stderr


def test_a_second_ctrl_c_quits_without_a_traceback(data_dir: Path) -> None:
    console = LiveConsole(data_dir, BACKPROP_LANGUAGE="en")
    console.send("/settings run-code on\n" + SLOW_SNIPPET)
    console.wait_for("Running on")
    console.interrupt()
    console.wait_for("Cancelling")
    console.interrupt()
    assert console.wait() == 0
    assert loud_lines(console.stderr) == [], console.stderr


def test_ctrl_c_at_the_prompt_quits(data_dir: Path) -> None:
    console = LiveConsole(data_dir, BACKPROP_LANGUAGE="en")
    console.send("/help\n")
    console.wait_for("/leaderboard")
    console.interrupt()
    assert console.wait() == 0
    assert loud_lines(console.stderr) == [], console.stderr
