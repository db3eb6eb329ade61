"""Issue 20, items 7 and 8 in the console: one header per job, and /forget-me leaves no files behind."""

from __future__ import annotations

from pathlib import Path

from tests.bot.console_driver import loud_lines, run_console


def test_forget_me_deletes_the_export_and_the_history_too(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    history = data_dir / "console_history"
    history.write_text("/ask something private\n")  # left by an earlier interactive session
    result = run_console(
        "/settings language en\n/quiz\n1\n/export-my-data\n/forget-me\n1\n",
        data_dir,
        BACKPROP_EMBEDDED_WORKER="false",
    )
    assert result.returncode == 0, result.stderr
    assert "backprop-data-1.json" in result.stdout  # the export was saved first
    assert "The files the console kept on this computer are deleted too" in result.stdout
    assert not history.exists()
    assert not list((data_dir / "console-files").glob("*"))
    assert loud_lines(result.stderr) == [], result.stderr


def test_a_demo_prints_its_header_once_and_then_its_result(data_dir: Path) -> None:
    result = run_console("/settings language en\n/demo tensor-vs-numpy\n", data_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("Demo tensor-vs-numpy\n") == 1, result.stdout
    assert result.stdout.count("Demo tensor-vs-numpy — done") == 1
    assert "?" not in result.stdout.split("Demo tensor-vs-numpy — done")[0]
