"""Members' time zones (IANA names in `members.timezone`): validation, lookup and storage."""

from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlite_utils

DEFAULT_ZONE = "UTC"
_SHAPE = re.compile(r"^[A-Za-z0-9_+\-/]{1,64}$")


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    """Lower-case name -> canonical name, so `asia/shanghai` works as well as `Asia/Shanghai`."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def canonical_zone(name: str) -> str | None:
    """The canonical IANA name for `name`, or None when zoneinfo does not know it."""
    name = name.strip()
    if not _SHAPE.match(name) or name.startswith("/") or ".." in name:
        return None
    found = _known().get(name.lower())
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return found


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    """A ZoneInfo for a stored name; anything unusable falls back to UTC rather than failing a command."""
    if name:
        try:
            return ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_ZONE)


def get_zone_name(db: sqlite_utils.Database, user_id: int) -> str:
    row = db.execute("SELECT timezone FROM members WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row and row[0] else DEFAULT_ZONE


def get_zone(db: sqlite_utils.Database, user_id: int) -> ZoneInfo:
    return zone(get_zone_name(db, user_id))


def set_zone(db: sqlite_utils.Database, user_id: int, name: str) -> None:
    """Store an already validated (canonical) zone name."""
    db.execute(
        "INSERT INTO members (user_id, timezone) VALUES (?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET timezone = excluded.timezone",
        [user_id, name],
    )
