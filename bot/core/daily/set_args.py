"""`/daily set <#channel> <HH:MM> <IANA zone> [category] [level]`, words in any order.

On Discord the channel is a mention (`<#123…>`) or an id. The console's pseudo-server posts nowhere:
it accepts a written `#name` (the command's own example) and ignores it.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from bot.core.categories import resolve_category
from bot.core.daily.schedule import parse_time
from bot.core.study.quiz_filters import LEVELS
from bot.core.study.zones import canonical_zone

_CHANNEL = re.compile(r"^(?:<#(\d{5,20})>|(\d{5,20}))$")
_CHANNEL_TEXT = re.compile(r"^#\S+$")
_TIME_SHAPE = re.compile(r"^\d{1,2}[:：.]\d{1,2}$")
_ZONE_SHAPE = re.compile(r"^[A-Za-z_+-]+(/[A-Za-z0-9_+-]+)+$")


@dataclass(frozen=True, slots=True)
class SetArgs:
    channel_id: int | None
    post_time: dt.time | None
    zone_name: str | None
    category: str | None = None
    level: int | None = None
    channel_text: str | None = None  # `#daily` typed as text, not a mention


class SetArgError(ValueError):
    """A word `/daily set` cannot use; `kind` says what it looked like: time, zone or word."""

    def __init__(self, word: str, kind: str = "word") -> None:
        super().__init__(word)
        self.word = word
        self.kind = kind


def parse_set(text: str) -> SetArgs:
    channel_id = post_time = zone_name = category = level = channel_text = None
    for word in text.split():
        lowered = word.lower()
        if (match := _CHANNEL.match(word)) is not None:
            channel_id = int(match[1] or match[2])
        elif _CHANNEL_TEXT.match(word):
            channel_text = word
        elif (at := parse_time(word)) is not None:
            post_time = at
        elif (known := resolve_category(word)) is not None:
            category = known
        elif lowered.removeprefix("level").removeprefix("l") in LEVELS:
            level = int(lowered[-1])
        elif (zone := canonical_zone(word)) is not None:
            zone_name = zone
        elif _TIME_SHAPE.match(word):
            raise SetArgError(word, "time")
        elif _ZONE_SHAPE.match(word):
            raise SetArgError(word, "zone")
        else:
            raise SetArgError(word)
    return SetArgs(channel_id, post_time, zone_name, category, level, channel_text)


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_suggestions(current: str, limit: int) -> list[str]:
    """IANA names containing `current` (case-insensitive), for autocomplete."""
    needle = current.strip().lower()
    return [name for name in _zone_names() if needle in name.lower()][:limit]
