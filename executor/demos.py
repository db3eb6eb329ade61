"""Demos from the content bank: `content/demos/<id>.py` with `# framework:` and `# timeout:` headers."""

from __future__ import annotations

import re
from pathlib import Path

from content.loader import DEMOS_DIR, parse_demo
from executor.protocol import canonical_framework

_DEMO_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def load_demo(demo_id: str, demos_dir: Path = DEMOS_DIR) -> tuple[str, str, int]:
    """(source, framework, timeout_s) of a demo; framework is the executor's name (torch, not pytorch).

    Raises KeyError for an unknown or malformed id and ValueError for a demo with a broken header."""
    if not _DEMO_ID.match(demo_id):
        raise KeyError(f"no such demo: {demo_id!r}")
    path = demos_dir / f"{demo_id}.py"
    if not path.is_file():
        raise KeyError(f"no such demo: {demo_id!r}")
    demo, problems = parse_demo(path)
    if demo is None:
        raise ValueError("; ".join(str(p) for p in problems))
    return demo.source, canonical_framework(demo.framework), demo.timeout_s
