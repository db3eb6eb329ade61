"""The domain's synonym groups, kept as data in `content/synonyms.yaml` beside the topics.

Each group is general vocabulary (abbreviations, Chinese and English names, colloquial phrasing), never a
rewrite of one particular question. When a text contains any phrase of a group, the tokenizer adds the
group's concept token, so "爆显存", "OOM" and "CUDA out of memory" meet in one term on both the index and the
query side.
"""

from __future__ import annotations

from pathlib import Path

import yaml

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "synonyms.yaml"


def load_groups(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """group name -> its phrases; a malformed file raises ValueError naming the group."""
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of group name -> list of phrases")
    groups: dict[str, tuple[str, ...]] = {}
    for name, phrases in raw.items():
        if not isinstance(phrases, list) or not phrases or not all(isinstance(p, str) and p for p in phrases):
            raise ValueError(f"{path}: group {name!r} must be a non-empty list of phrases")
        groups[str(name)] = tuple(p.lower() if p.isascii() else p for p in phrases)
    return groups


GROUPS: dict[str, tuple[str, ...]] = load_groups()
