"""`/daily set|off|status|preview`: a server's daily question (the console's is pseudo-server 0)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlite_utils

from bot.core.categories import category_name, resolve_category
from bot.core.context import Lang, Request
from bot.core.daily.config import DailyConfig, disable, get_config, save_config
from bot.core.daily.message import footer, question_text
from bot.core.daily.planning import candidates, upcoming
from bot.core.daily.posts import Post, latest_post, tally
from bot.core.daily.schedule import format_time, next_slot, parse_time
from bot.core.daily.set_args import SetArgError, SetArgs, parse_set
from bot.core.features.topic_view import clip
from bot.core.i18n import t
from bot.core.replies import Field, Reply, error
from bot.core.study import clock
from bot.core.study.record import guild_key
from bot.core.study.timefmt import when
from bot.core.study.zones import canonical_zone

if TYPE_CHECKING:
    from bot.core.tutor import Tutor


def daily_set_args(text: str) -> dict[str, object]:
    """Typed `/daily set` words in any order (chat sends a channel as `<#id>`)."""
    try:
        args = parse_set(text)
    except SetArgError as exc:
        return {"invalid": exc.word, "invalid_kind": exc.kind}
    return {
        "channel_text": args.channel_text,
        "channel": args.channel_id,
        "time": format_time(args.post_time) if args.post_time else None,
        "timezone": args.zone_name,
        "category": args.category,
        "level": args.level,
    }


async def daily_set_command(tutor: Tutor, request: Request) -> Reply:
    return await _set(tutor, request, request.lang)


async def daily_off_command(tutor: Tutor, request: Request) -> Reply:
    return await _off(tutor, request, request.lang)


async def daily_status_command(tutor: Tutor, request: Request) -> Reply:
    return await _status(tutor, request, request.lang)


async def daily_preview_command(tutor: Tutor, request: Request) -> Reply:
    return await _preview(tutor, request, request.lang)


# -- /daily set ---------------------------------------------------------------------------------------


def set_args(request: Request) -> SetArgs:
    """The typed values as the settings they mean; a word that means nothing raises SetArgError."""
    if request.arg("invalid"):
        raise SetArgError(str(request.arg("invalid")), str(request.arg("invalid_kind") or "word"))
    time_word, zone_word = request.arg("time"), request.arg("timezone")
    post_time = parse_time(str(time_word)) if time_word else None
    if time_word and post_time is None:
        raise SetArgError(str(time_word), "time")
    zone_name = canonical_zone(str(zone_word)) if zone_word else None
    if zone_word and zone_name is None:
        raise SetArgError(str(zone_word), "zone")
    category_word = request.arg("category")
    category = resolve_category(str(category_word)) if category_word else None
    if category_word and category is None:
        raise SetArgError(str(category_word))
    channel, level, channel_text = request.arg("channel"), request.arg("level"), request.arg("channel_text")
    return SetArgs(
        int(channel) if isinstance(channel, int) else None,
        post_time,
        zone_name,
        category,
        int(level) if isinstance(level, int) else None,
        str(channel_text) if channel_text else None,
    )


async def _set(tutor: Tutor, request: Request, lang: Lang) -> Reply:
    if not request.member.is_admin:
        return error(t("settings.admin_only", lang))
    try:
        args = set_args(request)
    except SetArgError as exc:
        return error(t(_BAD_WORD[exc.kind], lang, word=clip(exc.word, 40)))
    on_server = request.member.guild_id is not None
    if on_server and args.channel_id is None and args.channel_text is not None:
        return error(t("daily.channel_text", lang, word=clip(args.channel_text, 40)))
    problem = _missing(args, on_server)
    if problem is not None:
        return error(t(problem, lang))
    assert args.post_time is not None and args.zone_name is not None
    guild_id = guild_key(request.member.guild_id)
    config = DailyConfig(
        guild_id, args.channel_id or 0, args.post_time, args.zone_name, args.category, args.level
    )
    if not candidates(config, list(tutor.library.bank.topics.values())):
        return error(t("quiz.no_match", lang))
    now = clock.now()
    await tutor.db.run(save_config, config, now)
    upcoming_slot = next_slot(now, config.post_time, config.zone)
    return Reply(
        text=t(
            "daily.set_done",
            lang,
            channel=_channel(config, lang),
            time=format_time(config.post_time),
            zone=config.zone_name,
            topics=_filters(config, lang),
            next=when(upcoming_slot.due, now, config.zone_name, lang),
        )
        + ("" if on_server else "\n" + t("daily.console_set_note", lang)),
        tone="success",
    )


_BAD_WORD = {"word": "daily.bad_word", "time": "daily.bad_time", "zone": "daily.bad_zone"}


def _missing(args: SetArgs, on_server: bool) -> str | None:
    if on_server and args.channel_id is None:
        return "daily.need_channel"
    if args.post_time is None or args.zone_name is None:
        return "daily.need_time_zone"
    return None


# -- /daily off ---------------------------------------------------------------------------------------


async def _off(tutor: Tutor, request: Request, lang: Lang) -> Reply:
    if not request.member.is_admin:
        return error(t("settings.admin_only", lang))
    turned_off = await tutor.db.run(
        disable, guild_key(request.member.guild_id), "turned_off", None, clock.now()
    )
    return Reply(text=t("daily.off_done" if turned_off else "daily.off_already", lang), tone="success")


# -- /daily status ------------------------------------------------------------------------------------


async def _status(tutor: Tutor, request: Request, lang: Lang) -> Reply:
    guild_id = guild_key(request.member.guild_id)
    config, last = await tutor.db.run(_config_and_last, guild_id)
    if config is None:
        return Reply(title=t("daily.status_title", lang), text=t("daily.not_set", lang), ephemeral=True)
    now = clock.now()
    fields = [
        Field(t("daily.field.channel", lang), _channel(config, lang), inline=True),
        Field(
            t("daily.field.time", lang), f"{format_time(config.post_time)} {config.zone_name}", inline=True
        ),
        Field(t("daily.field.topics", lang), _filters(config, lang), inline=True),
        Field(t("daily.field.state", lang), _state(config, lang)),
    ]
    if config.enabled and config.posts_to_discord:
        upcoming_slot = next_slot(now, config.post_time, config.zone)
        fields.append(
            Field(t("daily.field.next", lang), when(upcoming_slot.due, now, config.zone_name, lang))
        )
    if last is not None:
        fields.append(Field(t("daily.field.last", lang), _last(last[0], last[1], lang)))
    return Reply(
        title=t("daily.status_title", lang),
        fields=tuple(fields),
        ephemeral=True,
        tone="info" if config.enabled else "error",
    )


def _config_and_last(
    db: sqlite_utils.Database, guild_id: int
) -> tuple[DailyConfig | None, tuple[Post, int] | None]:
    post = latest_post(db, guild_id)
    return get_config(db, guild_id), ((post, tally(db, post.id)[0]) if post is not None else None)


def _state(config: DailyConfig, lang: Lang) -> str:
    if config.enabled:
        return t("daily.state_on", lang) if config.posts_to_discord else t("daily.state_console", lang)
    reason = t(f"daily.reason.{config.disabled_reason or 'turned_off'}", lang)
    since = config.disabled_at.strftime("%Y-%m-%d %H:%M UTC") if config.disabled_at else "?"
    text = t("daily.state_off", lang, reason=reason, since=since)
    return f"{text}\n`{clip(config.disabled_detail, 200)}`" if config.disabled_detail else text


def _last(post: Post, answers: int, lang: Lang) -> str:
    text = t(
        "daily.last_value",
        lang,
        date=post.day.isoformat(),
        state=t(f"daily.post_state.{post.state}", lang),
        answers=answers,
    )
    if post.thread_id is not None:
        text += f" · <#{post.thread_id}>"
    return f"{text}\n`{clip(post.error, 200)}`" if post.error else text


def _channel(config: DailyConfig, lang: Lang) -> str:
    return f"<#{config.channel_id}>" if config.posts_to_discord else t("daily.console_channel", lang)


def _filters(config: DailyConfig, lang: Lang) -> str:
    category = category_name(config.category, lang) if config.category else None
    parts = [p for p in (category, f"{t('level', lang)} {config.level}" if config.level else None) if p]
    return " · ".join(parts) if parts else t("daily.all_topics", lang)


# -- /daily preview -----------------------------------------------------------------------------------


async def _preview(tutor: Tutor, request: Request, lang: Lang) -> Reply:
    now = clock.now()
    topics = list(tutor.library.bank.topics.values())
    coming = await tutor.db.run(upcoming, guild_key(request.member.guild_id), now, topics)
    question = coming.question
    topic = tutor.library.topic(question.topic_id) if question is not None else None
    if question is None or topic is None:
        return error(t("quiz.no_match", lang))
    title = t("daily.preview_title", lang, date=coming.slot.day.isoformat(), topic=topic.title.get(lang))
    return Reply(
        title=title,
        text=question_text(topic, question, lang),
        fields=(
            Field(t("daily.field.when", lang), _preview_when(coming.config, coming.slot.due, now, lang)),
        ),
        footer=footer(topic, lang, None),
        ephemeral=True,
        meta={"topic": topic.id},
    )


def _preview_when(config: DailyConfig | None, due: dt.datetime, now: dt.datetime, lang: Lang) -> str:
    if config is None or not config.enabled:
        return t("daily.preview_not_scheduled", lang)
    at = when(due, now, config.zone_name, lang)
    return at if config.posts_to_discord else t("daily.preview_console", lang, when=at)
