"""`/daily set <#channel> <HH:MM> <IANA zone> [category] [level]`, words in any order.

On Discord the channel is a mention (`<#123…>`) or an id; the console's pseudo-server has no channel
and takes none.
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


@dataclass(frozen=True, slots=True)
class SetArgs:
    channel_id: int | None
    post_time: dt.time | None
    zone_name: str | None
    category: str | None = None
    level: int | None = None


class SetArgError(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def parse_set(text: str) -> SetArgs:
    channel_id = post_time = zone_name = category = level = None
    for word in text.split():
        lowered = word.lower()
        if (match := _CHANNEL.match(word)) is not None:
            channel_id = int(match[1] or match[2])
        elif (at := parse_time(word)) is not None:
            post_time = at
        elif (known := resolve_category(word)) is not None:
            category = known
        elif lowered.removeprefix("level").removeprefix("l") in LEVELS:
            level = int(lowered[-1])
        elif (zone := canonical_zone(word)) is not None:
            zone_name = zone
        else:
            raise SetArgError(word)
    return SetArgs(channel_id, post_time, zone_name, category, level)


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_suggestions(current: str, limit: int) -> list[str]:
    """IANA names containing `current` (case-insensitive), for autocomplete."""
    needle = current.strip().lower()
    return [name for name in _zone_names() if needle in name.lower()][:limit]
