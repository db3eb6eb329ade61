"""A server's daily-question settings (`daily_configs`): where, when, which topics, and whether it is on.

A config is turned off by `/daily off` or, with a reason, by the scheduler when the channel is gone or
the bot may not post there; `/daily set` turns it back on. `since` is when it was last turned on: no
slot due before it is posted, so setting 09:00 at 10:00 starts tomorrow rather than posting at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.core.daily.schedule import format_time, parse_time
from bot.core.study.clock import from_ts, to_ts
from bot.core.study.quiz_filters import QuizFilter
from bot.core.study.record import LOCAL_GUILD
from bot.core.study.zones import zone

Reason = Literal["turned_off", "channel_deleted", "missing_permission", "rejected", "no_topics"]


@dataclass(frozen=True, slots=True)
class DailyConfig:
    guild_id: int
    channel_id: int  # 0 on the console's pseudo-server, which has no channel
    post_time: dt.time
    zone_name: str
    category: str | None = None
    level: int | None = None
    enabled: bool = True
    since: dt.datetime | None = None
    disabled_reason: Reason | None = None
    disabled_detail: str | None = None
    disabled_at: dt.datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.zone_name)

    @property
    def topic_filter(self) -> QuizFilter:
        return QuizFilter(category=self.category, level=self.level)

    @property
    def posts_to_discord(self) -> bool:
        return self.guild_id != LOCAL_GUILD and self.channel_id != 0


_COLUMNS = (
    "guild_id, channel_id, post_time, timezone, category, level, enabled, since_ts, disabled_reason, "
    "disabled_detail, disabled_ts"
)


def _from_row(row: tuple) -> DailyConfig:
    (
        guild_id,
        channel_id,
        post_time,
        zone_name,
        category,
        level,
        enabled,
        since_ts,
        reason,
        detail,
        disabled_ts,
    ) = row
    at = parse_time(post_time)
    assert at is not None, f"stored post_time {post_time!r} is not HH:MM"
    return DailyConfig(
        guild_id,
        channel_id,
        at,
        zone_name,
        category,
        level,
        bool(enabled),
        from_ts(since_ts),
        reason,
        detail,
        from_ts(disabled_ts) if disabled_ts is not None else None,
    )


def get_config(db: sqlite_utils.Database, guild_id: int) -> DailyConfig | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM daily_configs WHERE guild_id = ?", [guild_id]).fetchone()
    return _from_row(row) if row else None


def enabled_configs(db: sqlite_utils.Database) -> list[DailyConfig]:
    """Every server that posts to Discord and is on (the console's pseudo-server never posts)."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM daily_configs WHERE enabled = 1 AND guild_id != ? "
        "AND channel_id != 0 ORDER BY guild_id",
        [LOCAL_GUILD],
    ).fetchall()
    return [_from_row(row) for row in rows]


def save_config(db: sqlite_utils.Database, config: DailyConfig, at: dt.datetime) -> None:
    """Store and turn on; posts planned but not yet sending move to the new channel."""
    db.execute(
        "INSERT INTO daily_configs (guild_id, channel_id, post_time, timezone, category, level, enabled, since_ts) "
        "VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT(guild_id) DO UPDATE SET channel_id = excluded.channel_id, "
        "post_time = excluded.post_time, timezone = excluded.timezone, category = excluded.category, "
        "level = excluded.level, enabled = 1, since_ts = excluded.since_ts, disabled_reason = NULL, "
        "disabled_detail = NULL, disabled_ts = NULL",
        [
            config.guild_id,
            config.channel_id,
            format_time(config.post_time),
            config.zone_name,
            config.category,
            config.level,
            to_ts(at),
        ],
    )
    db.execute(
        "UPDATE daily_posts SET channel_id = ? WHERE guild_id = ? AND state = 'planned'",
        [config.channel_id, config.guild_id],
    )


def disable(
    db: sqlite_utils.Database, guild_id: int, reason: Reason, detail: str | None, at: dt.datetime
) -> bool:
    """Turn a server's daily post off with a reason; False when it was not on."""
    cursor = db.execute(
        "UPDATE daily_configs SET enabled = 0, disabled_reason = ?, disabled_detail = ?, disabled_ts = ? "
        "WHERE guild_id = ? AND enabled = 1",
        [reason, detail[:200] if detail else None, to_ts(at), guild_id],
    )
    # A planned post was never handed to Discord: dropping it frees its date for a later `/daily set`.
    db.execute("DELETE FROM daily_posts WHERE guild_id = ? AND state = 'planned'", [guild_id])
    return cursor.rowcount > 0
