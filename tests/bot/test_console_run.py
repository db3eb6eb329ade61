"""Issue 20, item 4: `/run` in the console follows the README, and snippets can span lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.context import Member
from bot.core.features.run_code import strip_fence
from bot.core.tutor import Tutor
from bot.settings import load_settings
from tests.bot.console_driver import loud_lines, run_console

SESSION = """/settings language en
/run print(6 * 7)
/settings run-code on
/run ```python
def f(x):
    return 1 / x

print("before", f(2))
f(0)
```
/run ```python print(6 * 7)```
/help
"""


def test_run_is_off_until_enabled_then_takes_multi_line_and_one_line_blocks(data_dir: Path) -> None:
    result = run_console(SESSION, data_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    refused, _, rest = out.partition("Running code: on")
    assert "Running code is off in this console" in refused
    assert "42" not in refused
    assert "before 0.5" in rest  # the lines after the opening fence belong to the snippet
    assert 'File "/home/sandbox/snippet.py", line 5' in rest
    assert "ZeroDivisionError" in rest
    assert "SyntaxError" not in rest
    assert "\n42\n" in rest  # the one-line block ran
    assert "/leaderboard" in rest  # the line after the closing fence is a command again
    assert loud_lines(result.stderr) == [], result.stderr


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("```python\nprint(1)\n```", "print(1)"),
        ("```python print(6 * 7)```", "print(6 * 7)"),
        ("```print(1)```", "print(1)"),
        ("```py\nimport torch\nprint(torch.ones(2))```", "import torch\nprint(torch.ones(2))"),
        ("here you go:\n```python\nx = 1\nprint(x)\n```\nthanks", "x = 1\nprint(x)"),
        ("print('no fence')", "print('no fence')"),
        ("`print(1)`", "print(1)"),
    ],
)
def test_strip_fence(text: str, code: str) -> None:
    assert strip_fence(text) == code


async def test_direct_messages_run_no_code(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKPROP_DATA_DIR", str(data_dir))
    tutor = await Tutor.start(load_settings(), with_runner=False)
    try:
        dm = Member(user_id=5, name="dm", guild_id=None, is_admin=False, locale="en-US")
        reply = await tutor.handle("/run print(1)", dm)
        assert reply.tone == "error" and "direct messages" in reply.text
        on = await tutor.handle("/settings run-code on", dm)
        assert on.tone == "error"
    finally:
        await tutor.close()
