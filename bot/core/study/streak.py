"""Streaks: consecutive local calendar days with at least one answer or review."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Streak:
    current: int  # ends today, or yesterday when today has no answer yet (still alive until midnight)
    longest: int
    answered_today: bool


def streak_of(days: list[int], today: int) -> Streak:
    """`days`: the local-day ordinals with an answer, any order; `today`: the member's local day now."""
    ordered = sorted(set(days))
    longest = run = 0
    previous: int | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    return Streak(current=_current(ordered, today), longest=longest, answered_today=today in ordered)


def _current(ordered: list[int], today: int) -> int:
    present = set(ordered)
    end = today if today in present else today - 1
    count = 0
    while end - count in present:
        count += 1
    return count
