"""Demo files: `<id>.py` whose first lines say `# framework: pytorch|tensorflow|python` and `# timeout: N`.

The executor owns this small header format; the content bank (`content/loader.py`) reads demos with
`read_header` too. The executor never imports `content`: a caller hands it the demos directory
(`DEMOS_DIR` is only the repository's default, for the command line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from executor.protocol import canonical_framework

DEMOS_DIR = Path(__file__).resolve().parents[1] / "content" / "demos"
FRAMEWORKS = ("pytorch", "tensorflow", "python")
_DEMO_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADER = re.compile(r"^#\s*(framework|timeout)\s*:\s*(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class DemoHeader:
    framework: str  # as written: pytorch, tensorflow or python
    timeout_s: int


class BadHeader(ValueError):
    """A demo file whose header is missing or wrong; the message says what to write."""


def read_header(source: str) -> DemoHeader:
    header: dict[str, str] = {}
    for line in source.splitlines()[:5]:
        match = _HEADER.match(line)
        if match:
            header[match.group(1)] = match.group(2)
    framework = header.get("framework")
    if framework not in FRAMEWORKS:
        raise BadHeader("needs a '# framework: pytorch|tensorflow|python' line")
    try:
        timeout = int(header.get("timeout", "30"))
    except ValueError:
        raise BadHeader("'# timeout:' must be whole seconds") from None
    return DemoHeader(framework, timeout)


def load_demo(demo_id: str, demos_dir: Path = DEMOS_DIR) -> tuple[str, str, int]:
    """(source, framework, timeout_s) of a demo; framework is the executor's name (torch, not pytorch).

    Raises KeyError for an unknown or malformed id and ValueError for a demo with a broken header."""
    if not _DEMO_ID.match(demo_id):
        raise KeyError(f"no such demo: {demo_id!r}")
    path = demos_dir / f"{demo_id}.py"
    if not path.is_file():
        raise KeyError(f"no such demo: {demo_id!r}")
    source = path.read_text(encoding="utf-8")
    header = read_header(source)
    return source, canonical_framework(header.framework), header.timeout_s
