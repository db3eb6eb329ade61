"""The README's console flow for challenges: list, start, a wrong and an accepted submission, the board.

A real console subprocess with its embedded executor worker (real queue, real sandbox)."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_console import console
from tests.executor.conftest import needs_sandbox

SCRIPT = """/challenge pytorch
/challenge start stable-log-softmax
/challenge submit stable-log-softmax
```python
import torch

def log_softmax(x, dim=-1):
    return x - x.exp().sum(dim=dim, keepdim=True).log()
```
/challenge submit stable-log-softmax
```python
import torch

def log_softmax(x, dim=-1):
    m = x.amax(dim=dim, keepdim=True).detach()
    s = x - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
```
/challenge board
"""


@needs_sandbox
def test_console_lists_starts_grades_and_shows_the_board(data_dir: Path) -> None:
    result = console(SCRIPT, data_dir, BACKPROP_LANGUAGE="en", BACKPROP_EMBEDDED_WORKER="true")
    out = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Coding challenges (26)" in out and "Page 1/4" in out
    assert "def log_softmax(x, dim=-1):" in out
    wrong = out.index("Wrong answer")
    accepted = out.index("Accepted")
    assert wrong < accepted
    assert "max abs error" in out[wrong:accepted]
    assert "1 solved" in out[accepted:]
