"""Regression floor on the development queries (`../shared/queries-dev.yaml`).

Scored over the queries whose expected topic exists in the bank; `python -m bench search` reports the
full numbers. The floors sit below what was measured, so they catch regressions, not noise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content.search import SearchIndex

REPO = Path(__file__).resolve().parents[2]
DEV_QUERIES = REPO.parent / "shared" / "queries-dev.yaml"
TOP3_FLOOR = 0.95
TOP1_FLOOR = 0.9


def _scored(index: SearchIndex) -> list[tuple[list[str], set[str]]]:
    if not DEV_QUERIES.exists():
        pytest.skip(f"{DEV_QUERIES} is missing")
    rows = yaml.safe_load(DEV_QUERIES.read_text(encoding="utf-8")) or []
    present = [r for r in rows if index.topic(r["expect"]) is not None]
    if len(present) < 5:
        pytest.skip("too few of the expected topics are written yet")
    return [
        ([h.id for h in index.search(r["q"], limit=5).hits], {r["expect"], *(r.get("also") or ())})
        for r in present
    ]


def test_dev_set_top3_floor(search_index: SearchIndex) -> None:
    scored = _scored(search_index)
    misses = [ranked for ranked, accepted in scored if not accepted & set(ranked[:3])]
    assert 1 - len(misses) / len(scored) >= TOP3_FLOOR, misses


def test_dev_set_top1_floor(search_index: SearchIndex) -> None:
    scored = _scored(search_index)
    top1 = sum(ranked[0] in accepted for ranked, accepted in scored)
    assert top1 / len(scored) >= TOP1_FLOOR
