"""A liveness signal for containers: the connected bot touches a file; `python -m bot health` reads it."""

from __future__ import annotations

import time
from pathlib import Path

HEARTBEAT_FILE = "heartbeat"
MAX_AGE_S = 120.0


def beat(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / HEARTBEAT_FILE).write_text(f"{time.time():.0f}\n", encoding="utf-8")


def check(data_dir: Path, max_age_s: float = MAX_AGE_S) -> tuple[bool, str]:
    """(healthy, why): healthy when the bot was connected within `max_age_s` seconds."""
    path = data_dir / HEARTBEAT_FILE
    try:
        age = time.time() - float(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return False, f"no heartbeat at {path}"
    if age > max_age_s:
        return False, f"last heartbeat {age:.0f} s ago"
    return True, f"last heartbeat {age:.0f} s ago"
