"""Issue 20, item 6 in the console: bare command names hint at the command; a letter answers a quiz."""

from __future__ import annotations

from pathlib import Path

from tests.bot.console_driver import loud_lines, run_console


def test_bare_command_words_hint_and_a_letter_answers_the_quiz(data_dir: Path) -> None:
    result = run_console(
        "/settings language en\nhelp\n1\nreview\n/quiz\nB\n",
        data_dir,
        BACKPROP_EMBEDDED_WORKER="false",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Did you mean the `/help` command?" in out
    assert "/leaderboard" in out  # picking 1 ran /help
    assert "Did you mean the `/review` command?" in out
    assert "Your answer:" in out  # `B` answered the quiz instead of searching for "B"
    assert loud_lines(result.stderr) == [], result.stderr
