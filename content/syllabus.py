"""The syllabus (`../shared/syllabus.yaml`): which topics the bank must contain."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class SyllabusEntry:
    id: str
    category: str
    level: int
    frameworks: tuple[str, ...]
    demo: bool
    seed_errors: str | None


def syllabus_path() -> Path:
    override = os.environ.get("BACKPROP_SYLLABUS")
    if override:
        return Path(override)
    return REPO_ROOT.parent / "shared" / "syllabus.yaml"


def load_syllabus(path: Path | None = None) -> dict[str, SyllabusEntry]:
    path = path or syllabus_path()
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {
        e["id"]: SyllabusEntry(
            id=e["id"],
            category=e["category"],
            level=int(e["level"]),
            frameworks=tuple(e.get("frameworks") or ()),
            demo=bool(e.get("demo")),
            seed_errors=e.get("seed_errors") or None,
        )
        for e in entries
    }
