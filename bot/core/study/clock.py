"""Time in the study loop: UTC instants for scheduling, local dates for streaks, UTC weeks for leaderboards."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UTC = dt.UTC


def now() -> dt.datetime:
    return dt.datetime.now(UTC)


def as_utc(at: dt.datetime) -> dt.datetime:
    """The same instant with tzinfo exactly `datetime.UTC` (fsrs refuses any other tzinfo)."""
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no instant: pass an aware one")
    return at.astimezone(UTC)


def to_ts(at: dt.datetime) -> int:
    return int(as_utc(at).timestamp())


def from_ts(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, UTC)


def local_date(at: dt.datetime, zone: ZoneInfo) -> dt.date:
    return as_utc(at).astimezone(zone).date()


def local_day(at: dt.datetime, zone: ZoneInfo) -> int:
    """The member's calendar day at `at` as an ordinal: consecutive days differ by exactly one, DST or not."""
    return local_date(at, zone).toordinal()


def week_key(at: dt.datetime) -> str:
    """The ISO week in UTC, e.g. `2025-W07`: leaderboards are per server, so one clock for everyone."""
    year, week, _ = as_utc(at).isocalendar()
    return f"{year}-W{week:02d}"
