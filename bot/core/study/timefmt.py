"""Times shown to members: their local clock time plus a rough "in 3 h", in their language."""

from __future__ import annotations

import datetime as dt

from bot.core.context import Lang
from bot.core.study.clock import as_utc
from bot.core.study.zones import zone


def duration(delta: dt.timedelta, lang: Lang) -> str:
    """60 s -> "1 min", 5 h -> "5 h", 3 days -> "3 d" (zh: 分钟/小时/天)."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        value, unit = max(1, round(seconds / 60)), ("分钟", "min")
    elif seconds < 48 * 3600:
        value, unit = round(seconds / 3600), ("小时", "h")
    else:
        value, unit = round(seconds / 86400), ("天", "d")
    return f"{value} {unit[0] if lang == 'zh' else unit[1]}"


def when(at: dt.datetime, now: dt.datetime, zone_name: str, lang: Lang) -> str:
    """`2025-07-01 14:30 Asia/Shanghai (in 3 h)`; `now` for anything not in the future."""
    at, now = as_utc(at), as_utc(now)
    if at <= now:
        return "现在" if lang == "zh" else "now"
    local = at.astimezone(zone(zone_name)).strftime("%Y-%m-%d %H:%M")
    relative = f"{duration(at - now, lang)}后" if lang == "zh" else f"in {duration(at - now, lang)}"
    return f"{local} {zone_name}（{relative}）" if lang == "zh" else f"{local} {zone_name} ({relative})"
