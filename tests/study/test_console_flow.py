"""The console as a member uses it: /quiz, pick an answer by number, /progress shows it."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_console import console


def test_quiz_answer_then_progress(data_dir: Path) -> None:
    result = console("/settings language en\n/quiz autograd\n1\n/progress\n/review\n", data_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Quiz:" in out and "Type a number to choose" in out
    assert "Your answer:" in out and ("✅ Right" in out or "❌ Not quite" in out)
    assert "Progress: console" in out
    assert "(1/1)" in out or "0% (0/1)" in out
    assert "🔥 1 (longest 1)" in out
    assert "[file]" in out and (data_dir / "console-files" / "progress.png").stat().st_size > 5000
    assert "Next card due:" in out  # /review: nothing due yet, and when the next one is
