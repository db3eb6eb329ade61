"""The console as a user drives it: a real subprocess reading commands from a pipe."""

import subprocess
from pathlib import Path

from tests.bot.console_driver import run_console


def console(script: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The console without its in-process executor worker, unless a test asks for one."""
    env.setdefault("BACKPROP_EMBEDDED_WORKER", "false")
    return run_console(script, data_dir, **env)


def test_help_lists_the_commands_and_exits_zero(data_dir: Path) -> None:
    result = console("/help\n", data_dir)
    assert result.returncode == 0, result.stderr
    for name in ("/ask", "/quiz", "/review", "/progress", "/demo", "/daily", "/topics", "/settings"):
        assert name in result.stdout
    assert "\x1b[" not in result.stdout  # no colours into a pipe


def test_ask_then_a_number_follows_a_choice(data_dir: Path) -> None:
    result = console("/ask dynamic graph vs static graph\n1\n", data_dir, BACKPROP_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    assert "Type a number to choose" in result.stdout
    assert result.stdout.count("\n\n") >= 2


def test_unknown_commands_and_bad_numbers_are_friendly(data_dir: Path) -> None:
    result = console("/frobnicate\n42\n", data_dir, BACKPROP_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    assert "There is no `/frobnicate` command" in result.stdout
    assert "so 42 does nothing" in result.stdout  # that reply had no menu


def test_an_over_long_line_is_refused_without_crashing(data_dir: Path) -> None:
    result = console("/ask " + "显存" * 5000 + "\n/help\n", data_dir, BACKPROP_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    assert "too long" in result.stdout
    assert "/settings" in result.stdout


def test_language_setting_is_stored_across_runs(data_dir: Path) -> None:
    console("/settings language en\n", data_dir)
    result = console("/topics\n", data_dir)
    assert "Topic categories" in result.stdout


def test_bad_configuration_stops_with_one_line(data_dir: Path) -> None:
    result = console("/help\n", data_dir, BACKPROP_QUEUE_URL="ftp://x")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BACKPROP_QUEUE_URL" in result.stderr


def test_demo_runs_on_the_embedded_worker(data_dir: Path) -> None:
    result = console(
        "/settings language en\n/demo tensor-vs-numpy\n", data_dir, BACKPROP_EMBEDDED_WORKER="true"
    )
    assert result.returncode == 0, result.stderr
    assert "Demo tensor-vs-numpy — done" in result.stdout, result.stdout[-2000:]
    assert "device: cpu" in result.stdout
    assert "embedded" in result.stdout  # the worker's name in the footer


def test_a_pasted_traceback_is_explained(data_dir: Path) -> None:
    frame = (
        'File "/home/s/.venv/lib/python3.11/site-packages/torch/nn/modules/linear.py", line 125, in forward'
        "     return F.linear(input, self.weight, self.bias)   "
    )
    error = "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x2048 and 512x10)"
    pasted = ("Traceback (most recent call last):   " + frame * 40)[: 4000 - len(error)] + error
    result = console(f"/ask {pasted}\n", data_dir, BACKPROP_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    assert "too long" not in result.stdout
    assert "This error means:" in result.stdout and "Fix:" in result.stdout
    assert result.stdout.index("This error means:") < result.stdout.index("Topic:")


def test_a_number_acts_only_on_the_reply_just_before_it(data_dir: Path) -> None:
    """Issue 20: `/forget-me`, a reply without choices, then `1` once deleted everything."""
    script = "/settings language en\n/quiz\n1\n/forget-me\n/settings timezone\n1\n/export-my-data\n"
    result = console(script, data_dir)
    assert result.returncode == 0, result.stderr
    assert "so 1 does nothing" in result.stdout
    assert "deleted" not in result.stdout.lower()
    exported = result.stdout.rsplit("Attached is everything stored about you (", 1)[1]
    assert not exported.startswith("0 rows")


def test_the_stored_language_answers_help_and_errors(data_dir: Path) -> None:
    result = console("/settings language en\n/help\n/ask\n/frobnicate\n", data_dir)
    assert result.returncode == 0, result.stderr
    assert "There is no `/frobnicate` command" in result.stdout
    assert "Backprop commands" in result.stdout


def test_a_five_question_mock_interview_in_the_console(data_dir: Path) -> None:
    """Issue 21: the whole interview typed in the console, answers as plain lines, ending in the report."""
    answer = "```\nIt records a graph of grad_fn nodes and backward applies the chain rule.\nThe gradients land in .grad.\n```"
    steps = "".join(f"{answer}\n/interview confirm\n/interview next\n" for _ in range(5))
    result = console(f"/settings language en\n/interview q5\n{steps}/progress\n", data_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Mock interview · question 1/5" in out and "Mock interview · question 5/5" in out
    assert out.count("key points for") == 5 and out.count("the interviewer's follow-up") == 5
    assert "Mock interview report" in out and "5 of 5 questions" in out
    assert "Mock interviews" in out and "1 done · 5 questions" in out  # /progress shows the history
