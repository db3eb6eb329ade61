"""Quality floors on the grouped query sets (every `bench/queries/dev*.yaml`, every `heldout*.yaml`).

`python -m bench search` reports the measured numbers; these floors sit below them, so they catch a
regression in ranking, error recognition or off-topic honesty, not noise. They are not timing checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.search import DEV_SETS, HELD_OUT_SETS, RANKED_GROUPS, Judged, judge_set
from content.search import SearchIndex

TOP1_FLOOR = 0.85  # over all in-scope questions of a set
TOP3_FLOOR = 0.95
GROUP_TOP1_FLOOR = 0.75  # per group, where a set has at least GROUP_MIN questions of it
GROUP_TOP3_FLOOR = 0.9
GROUP_MIN = 15
OFF_TOPIC_FLOOR = 0.65  # share of off-topic questions answered "not in the bank"
OFF_TOPIC_CONFIDENT_CEILING = 0.2  # share of off-topic questions answered confidently
ERROR_FLOOR = 0.9  # share of pasted errors matched to a listed error
CALIBRATION_FLOOR = 0.8  # share of confident answers that are right, off-topic questions included
FALSE_OFF_TOPIC_CEILING = 0.02  # share of in-scope questions wrongly called off-topic
# The dev set, and the held-out sets together: the later held-out sets are small (under 40 in-scope
# questions), where one miss moves a rate by three points, so a floor per set would test noise.
SETS: dict[str, tuple[Path, ...]] = {"dev": DEV_SETS, "heldout-all": HELD_OUT_SETS}


@pytest.fixture(scope="module", params=list(SETS), ids=list(SETS))
def judged(request: pytest.FixtureRequest, search_index: SearchIndex) -> list[Judged]:
    return [j for path in SETS[request.param] for j in judge_set(search_index, path)]


def _rate(items: list[Judged], attribute: str) -> float:
    return sum(bool(getattr(j, attribute)) for j in items) / len(items)


def test_the_sets_are_there() -> None:
    assert len(DEV_SETS) >= 2 and len(HELD_OUT_SETS) >= 2


def test_in_scope_ranking_keeps_its_floor(judged: list[Judged]) -> None:
    in_scope = [j for j in judged if j.accepted]
    misses = [j.ranked[:3] for j in in_scope if not j.top3]
    assert _rate(in_scope, "top3") >= TOP3_FLOOR, misses
    assert _rate(in_scope, "top1") >= TOP1_FLOOR


@pytest.mark.parametrize("group", RANKED_GROUPS)
def test_each_large_group_keeps_its_floor(judged: list[Judged], group: str) -> None:
    part = [j for j in judged if j.group == group]
    if len(part) < GROUP_MIN:
        pytest.skip(f"only {len(part)} {group} questions in this set")
    assert _rate(part, "top3") >= GROUP_TOP3_FLOOR
    assert _rate(part, "top1") >= GROUP_TOP1_FLOOR


def test_pasted_errors_are_recognised(judged: list[Judged]) -> None:
    part = [j for j in judged if j.group == "traceback"]
    assert _rate(part, "error") >= ERROR_FLOOR


def test_off_topic_questions_get_not_in_the_bank(judged: list[Judged]) -> None:
    off = [j for j in judged if not j.accepted]
    assert len(off) >= 15
    assert _rate(off, "confident") <= OFF_TOPIC_CONFIDENT_CEILING
    assert _rate(off, "off_topic") >= OFF_TOPIC_FLOOR
    in_scope = [j for j in judged if j.accepted]
    assert _rate(in_scope, "off_topic") <= FALSE_OFF_TOPIC_CEILING


def test_confidence_means_something(judged: list[Judged]) -> None:
    confident = [j for j in judged if j.confident]
    assert sum(j.top1 for j in confident) / len(confident) >= CALIBRATION_FLOOR
