"""Which posts are due now, and what a server's next question will be (storage side, database thread)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import sqlite_utils

from bot.core.context import Lang
from bot.core.daily.config import DailyConfig, disable, enabled_configs, get_config
from bot.core.daily.picker import DailyQuestion, pick_question
from bot.core.daily.posts import State, last_shown, plan, post_for
from bot.core.daily.schedule import Slot, latest_slot, next_slot
from bot.core.study.transaction import immediate
from bot.core.study.zones import zone as zone_named
from content.schema import Topic

log = logging.getLogger(__name__)

DEFAULT_TIME = dt.time(9, 0)
DEFAULT_ZONE = "UTC"


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The next question a server would get (what `/daily preview` shows)."""

    slot: Slot
    question: DailyQuestion | None
    config: DailyConfig | None


def guild_language(db: sqlite_utils.Database, guild_id: int, default: Lang) -> Lang:
    row = db.execute("SELECT language FROM guilds WHERE guild_id = ?", [guild_id]).fetchone()
    return row[0] if row and row[0] in ("zh", "en") else default


def candidates(config: DailyConfig | None, topics: list[Topic]) -> list[Topic]:
    wanted = config.topic_filter if config is not None else None
    return [t for t in topics if t.quiz.mcq and (wanted is None or wanted.matches(t))]


def choose(
    db: sqlite_utils.Database, guild_id: int, config: DailyConfig | None, day: dt.date, topics: list[Topic]
) -> DailyQuestion | None:
    return pick_question(candidates(config, topics), last_shown(db, guild_id, day), guild_id, day)


def due_slot(config: DailyConfig, now: dt.datetime, grace: dt.timedelta) -> Slot | None:
    """The slot to post now: the latest one, if it is not older than the grace window nor than the config."""
    slot = latest_slot(now, config.post_time, config.zone)
    if config.since is not None and slot.due < config.since:
        return None
    return slot if now - slot.due <= grace else None


def plan_due(
    db: sqlite_utils.Database, now: dt.datetime, grace: dt.timedelta, topics: list[Topic], default_lang: Lang
) -> int:
    """Create the `planned` row of every server whose slot is due (once: the key is server and date)."""
    planned = 0
    with immediate(db):
        for config in enabled_configs(db):
            slot = due_slot(config, now, grace)
            if slot is None or post_for(db, config.guild_id, slot.day) is not None:
                continue
            question = choose(db, config.guild_id, config, slot.day, topics)
            if question is None:
                log.warning(
                    "daily: no topic matches the filters of server %s; turning it off", config.guild_id
                )
                disable(db, config.guild_id, "no_topics", None, now)
                continue
            plan(
                db,
                config.guild_id,
                config.channel_id,
                slot,
                question,
                guild_language(db, config.guild_id, default_lang),
                now,
            )
            planned += 1
    return planned


def upcoming(db: sqlite_utils.Database, guild_id: int, now: dt.datetime, topics: list[Topic]) -> Upcoming:
    """The next slot that has not gone out yet, and its question (the planned one, or the one it would get)."""
    config = get_config(db, guild_id)
    at = config.post_time if config is not None else DEFAULT_TIME
    zone = config.zone if config is not None else zone_named(DEFAULT_ZONE)
    slot = next_slot(now, at, zone)
    for _ in range(3):
        existing = post_for(db, guild_id, slot.day)
        if existing is None:
            return Upcoming(slot, choose(db, guild_id, config, slot.day, topics), config)
        if existing.state == State.PLANNED:
            return Upcoming(slot, existing.question, config)
        slot = next_slot(slot.due, at, zone)
    return Upcoming(slot, choose(db, guild_id, config, slot.day, topics), config)
