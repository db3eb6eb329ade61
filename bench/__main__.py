"""`make bench`: run the benchmarks and write their sections of docs/benchmarks.md.

Each module `bench/<name>.py` defines `run() -> str`, returning a markdown section body.
`python -m bench` runs them all; `python -m bench search sandbox` runs only those. Sections are
kept between `<!-- bench:NAME -->` markers, so one benchmark can be re-run without losing the others.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
ORDER = ("search", "sandbox", "queue", "study", "interview", "console", "challenges")
HEADER = "# Benchmarks\n\nWritten by `make bench` (`python -m bench [NAME ...]`); each section says when and where.\n"

log = logging.getLogger("bench")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def stamp() -> str:
    return f"_Measured {dt.date.today().isoformat()} on {machine()}._\n"


def write_section(name: str, body: str, report: Path = REPORT) -> None:
    text = report.read_text(encoding="utf-8") if report.exists() else HEADER
    block = f"<!-- bench:{name} -->\n{body.rstrip()}\n<!-- /bench:{name} -->"
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = (
        pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    )
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, encoding="utf-8")


def available() -> list[str]:
    here = Path(__file__).parent
    return [n for n in ORDER if (here / f"{n}.py").exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"which benchmarks (default: all of {', '.join(ORDER)})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    names = args.names or available()
    for name in names:
        log.info("running benchmark %s", name)
        module = importlib.import_module(f"bench.{name}")
        write_section(name, module.run())
        log.info("wrote section %s of %s", name, REPORT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
