"""When is the best hit good enough to answer with, rather than to offer as "did you mean"?

Two signals, calibrated on the development queries (see bench/search.py): how much of the query the best
topic explains (its share of the query's IDF mass), and how far it stands ahead of the runner-up.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_SCORE = 3.0  # below this the best topic matched next to nothing
MIN_COVERAGE = 0.5  # the best topic matches at least half of the query's weight
MIN_MARGIN = 0.1  # and beats the second by at least this fraction of its own score
STRONG_COVERAGE = 0.8  # or it matches this much, with at least a small lead
STRONG_MARGIN = 0.06


@dataclass(frozen=True, slots=True)
class Evidence:
    best: float
    second: float
    coverage: float

    @property
    def margin(self) -> float:
        return (self.best - self.second) / self.best if self.best > 0 else 0.0


def is_confident(evidence: Evidence) -> bool:
    if evidence.best < MIN_SCORE:
        return False
    if evidence.coverage >= STRONG_COVERAGE and evidence.margin >= STRONG_MARGIN:
        return True
    return evidence.coverage >= MIN_COVERAGE and evidence.margin >= MIN_MARGIN
