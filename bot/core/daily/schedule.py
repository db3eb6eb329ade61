"""When a server's daily question is due: a local wall-clock time in an IANA zone, turned into instants.

Daylight-saving rules (RFC 5545, and what `zoneinfo` does with fold=0):

* a time that does not exist that day (02:30 on a spring-forward day in America/New_York) is read with
  the offset in force before the gap, so it lands as far past the gap's start as it was meant to be:
  02:30 EST = 03:30 EDT;
* a time that happens twice (01:30 on a fall-back day) means the first of the two.

Either way each local date has exactly one due instant, and the post key is that local date, so no day
gets two posts and none is skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.study.clock import as_utc

UTC = dt.UTC
_TIME = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)$")
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Slot:
    """One day's post: the server's local date (the post key) and the instant it is due."""

    day: dt.date
    due: dt.datetime


def parse_time(text: str) -> dt.time | None:
    """`9:00`, `09:00` or `21:30` (24-hour clock); None for anything else."""
    match = _TIME.match(text.strip())
    return dt.time(int(match[1]), int(match[2])) if match else None


def format_time(at: dt.time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def due_at(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant of `at` on local date `day` (gaps and folds as in the module docstring)."""
    return dt.datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def latest_slot(now: dt.datetime, at: dt.time, zone: ZoneInfo) -> Slot:
    """The most recent slot due at or before `now`."""
    now = as_utc(now)
    today = now.astimezone(zone).date()
    for back in range(3):  # a shifted time can fall on the next local day; three days covers every zone
        day = today - back * _DAY
        due = due_at(day, at, zone)
        if due <= now:
            return Slot(day, due)
    raise AssertionError("unreachable: a day ago is always in the past")


def next_slot(now: dt.datetime, at: dt.time, zone: ZoneInfo) -> Slot:
    """The first slot due strictly after `now`."""
    now = as_utc(now)
    today = now.astimezone(zone).date()
    for ahead in range(-1, 3):
        day = today + ahead * _DAY
        due = due_at(day, at, zone)
        if due > now:
            return Slot(day, due)
    raise AssertionError("unreachable: two days ahead is always in the future")
