"""The daily question on the real discord.py client against the fake Discord, with a hand-moved clock.

Bots here start without the search index and the executor (the daily question uses neither), so a
restart is cheap; "restart" means closing the client and starting a new one on the same data dir.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, cast

import discord
import pytest
import sqlite_utils
import yarl

from bot.core import library as library_module
from bot.core.daily import scheduler as scheduler_module
from bot.core.daily.clock import ManualClock
from bot.core.daily.config import DailyConfig, get_config, save_config
from bot.core.daily.posts import State, open_posts, post_for
from bot.core.daily.scheduler import DailyOptions, DailyScheduler
from bot.core.library import Library
from bot.core.study import clock as study_clock
from bot.discord_adapter.client import BackpropBot
from bot.settings import load_settings
from content.loader import load_bank
from content.search import SearchIndex
from tests.discord_bot.fake_discord import ADMIN_ID, GUILD_ID, MEMBER_ID, OWNER_ID, FakeDiscord, Message
from tests.discord_bot.fake_ratelimits import RateLimits

DAILY = 200000000000000777  # a second channel on the test server, for the daily posts
DUE = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)
QUIET = DailyOptions(poll_s=10**9)  # the loop ticks once at start; tests tick by hand


class Crash(BaseException):
    """The process dies here: nothing in the bot catches it."""


@pytest.fixture(scope="module")
def shared_library() -> Library:
    return Library(bank=load_bank(), index=cast(SearchIndex, None))


class Bots:
    """Starts and stops bots over one data dir, fake Discord and clock, as restarts of one process."""

    def __init__(self, fake: FakeDiscord, data_dir: Path, clock: ManualClock) -> None:
        self.fake = fake
        self.data_dir = data_dir
        self.clock = clock
        self.running: list[tuple[BackpropBot, asyncio.Task]] = []

    async def start(self, options: DailyOptions = QUIET) -> BackpropBot:
        settings = load_settings(
            data_dir=self.data_dir, owner_ids=[OWNER_ID], embedded_worker=False, language="en"
        )
        client = BackpropBot(settings, sync_on_start="global")
        client.daily_clock = self.clock  # type: ignore[attr-defined]
        client.daily_options = options  # type: ignore[attr-defined]
        task = asyncio.create_task(client.start("fake-token"))
        self.running.append((client, task))
        await asyncio.wait_for(client.wait_until_ready(), 60)
        await scheduler_of(client).wait_ticks(1)
        await self.fake.settle(quiet=0.1)
        return client

    async def stop(self, client: BackpropBot) -> None:
        task = next(t for c, t in self.running if c is client)
        self.running.remove((client, task))
        await client.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    async def stop_all(self) -> None:
        for client, _ in list(self.running):
            await self.stop(client)


def scheduler_of(client: BackpropBot) -> DailyScheduler:
    cog = client.get_cog("DailyCog")
    assert cog is not None
    return cog.scheduler  # type: ignore[attr-defined]


async def _make_bots(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_library: Library
) -> Bots:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    monkeypatch.setattr(library_module.Library, "load", staticmethod(lambda: shared_library))
    clock = ManualClock(DUE - dt.timedelta(hours=1))
    monkeypatch.setattr(study_clock, "now", clock.now)
    return Bots(fake, tmp_path / "data", clock)


@pytest.fixture
async def bots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_library: Library
) -> AsyncIterator[Bots]:
    fake = FakeDiscord()
    fake.add_channel(GUILD_ID, DAILY)
    await fake.start()
    made = await _make_bots(fake, tmp_path, monkeypatch, shared_library)
    try:
        yield made
    finally:
        await made.stop_all()
        await fake.stop()


def opt(name: str, value: Any, kind: int = 3) -> dict[str, Any]:
    return {"name": name, "type": kind, "value": str(value) if kind in (3, 7) else value}


def sub(name: str, *options: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"name": name, "type": 1, "options": list(options)}]


async def slash_text(
    fake: FakeDiscord,
    options: list[dict[str, Any]],
    *,
    author_id: int = MEMBER_ID,
    channels: list[int] | None = None,
) -> tuple[str, dict[str, str], int]:
    """Run `/daily <sub>`; (description, fields by name, flags) of the answer."""
    callback = await fake.callback_for(
        await fake.slash("daily", options, author_id=author_id, channels=channels)
    )
    assert callback.message is not None, callback
    embed = callback.message.embeds[0]
    fields = {f["name"]: f["value"] for f in embed.get("fields", [])}
    return embed.get("description") or "", fields, callback.data.get("flags", 0)


async def set_daily(fake: FakeDiscord, channel: int = DAILY, time: str = "09:00", zone: str = "UTC") -> str:
    text, _, _ = await slash_text(
        fake,
        sub("set", opt("channel", channel, 7), opt("time", time), opt("timezone", zone)),
        author_id=ADMIN_ID,
        channels=[channel],
    )
    return text


def daily_messages(fake: FakeDiscord, channel: int = DAILY) -> list[Message]:
    return [
        m for m in fake.channel(channel) if m.buttons() and m.buttons()[0]["custom_id"].startswith("daily:")
    ]


def once(fn: Callable) -> Callable:
    """`fn`, except that its first call dies (the process crashing at that point)."""
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise Crash(fn.__name__)
        return fn(*args, **kwargs)

    return wrapper


# -- commands, a post, answers ---------------------------------------------------------------------


async def test_set_status_preview_then_the_post_with_buttons_thread_and_answers(bots: Bots) -> None:
    fake = bots.fake
    bot = await bots.start()
    names = {c["name"]: c for c in fake.commands}
    assert {o["name"] for o in names["daily"]["options"]} == {"status", "set", "off", "preview"}

    refused = await slash_text(
        fake,
        sub("set", opt("channel", DAILY, 7), opt("time", "09:00"), opt("timezone", "UTC")),
        channels=[DAILY],
    )
    assert "Manage Server" in refused[0]
    assert "Next: 2025-03-04 09:00 UTC (in 1 h)" in await set_daily(fake)
    _, fields, flags = await slash_text(fake, sub("status"))
    assert fields["Channel"] == f"<#{DAILY}>" and "On" in fields["State"] and flags & 64
    preview, _, _ = await slash_text(fake, sub("preview"))
    assert "A. " in preview

    bots.clock.set(DUE)
    await scheduler_of(bot).tick()
    (post,) = daily_messages(fake)
    assert preview.split("\n")[0] in post.embeds[0]["description"]
    assert " · #" in post.embeds[0]["footer"]["text"]
    assert [b["label"] for b in post.buttons()] == ["A", "B", "C", "D"]
    assert int(post.id) in fake.threads
    assert post.data["nonce"] and not fake.unknown

    first = await fake.callback_for(await fake.click(post, post.buttons()[0]["custom_id"]))
    assert first.data["flags"] & 64 and first.message.embeds[0]["title"] in ("✅ Right", "❌ Not quite")
    await fake.settle(quiet=0.1)
    second = await fake.callback_for(await fake.click(post, post.buttons()[1]["custom_id"]))
    assert "already answered" in second.message.embeds[0]["description"]
    answers = await bot.tutor.db.run(
        lambda d: d.execute("SELECT user_id, source FROM study_answers").fetchall()
    )
    assert answers == [(MEMBER_ID, "daily")]


# -- restarts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "crash_in"),
    [
        ("before", "claim"),  # planned, not yet handed to Discord
        ("during", "mark_sent"),  # Discord created the message; the bot died before recording it
        ("after", "mark_recorded"),  # the thread was opened; the bot died before recording that
    ],
)
async def test_restart_before_during_and_after_a_post_leaves_exactly_one(
    bots: Bots, monkeypatch: pytest.MonkeyPatch, step: str, crash_in: str
) -> None:
    fake = bots.fake
    fake.nonce_window_s = 0  # Discord's nonce check only covers minutes: prove the history scan suffices
    first = await bots.start()
    await set_daily(fake)
    monkeypatch.setattr(scheduler_module, crash_in, once(getattr(scheduler_module, crash_in)))
    bots.clock.set(DUE)
    with pytest.raises(Crash):
        await scheduler_of(first).tick()
    assert len(daily_messages(fake)) == (0 if step == "before" else 1)
    await bots.stop(first)

    bots.clock.advance(minutes=2)
    second = await bots.start()  # its first tick resumes the interrupted post
    (post,) = daily_messages(fake)
    assert int(post.id) in fake.threads and len(fake.threads) == 1
    row = await second.tutor.db.run(post_for, GUILD_ID, DUE.date())
    assert row.state == State.RECORDED and row.message_id == int(post.id) == row.thread_id
    scans = [p for m, p in fake.requests if m == "GET" and p == f"/channels/{DAILY}/messages"]
    assert len(scans) == (1 if step == "during" else 0)

    # The buttons of a post sent before the restart still work.
    click = await fake.callback_for(await fake.click(post, post.buttons()[2]["custom_id"]))
    assert click.message.embeds[0]["title"] in ("✅ Right", "❌ Not quite")


async def test_an_outage_within_the_grace_window_posts_late_once(bots: Bots) -> None:
    fake = bots.fake
    first = await bots.start()
    await set_daily(fake)
    await bots.stop(first)
    bots.clock.set(DUE + dt.timedelta(minutes=90))
    second = await bots.start()
    assert len(daily_messages(fake)) == 1
    await scheduler_of(second).tick()
    await bots.stop(second)
    await bots.start()
    assert len(daily_messages(fake)) == 1


# -- several servers, refusals --------------------------------------------------------------------


async def _configure(
    bot: BackpropBot, guild_id: int, channel_id: int, zone: str = "UTC", at: str = "09:00"
) -> None:
    post_time = dt.time.fromisoformat(at)
    await bot.tutor.db.run(
        save_config, DailyConfig(guild_id, channel_id, post_time, zone), DUE - dt.timedelta(days=1)
    )


async def test_two_servers_at_the_same_minute(bots: Bots) -> None:
    fake = bots.fake
    fake.add_guild(100000000000000002, 200000000000000002, name="Second Server")
    bot = await bots.start()
    assert {g.id for g in bot.guilds} == {GUILD_ID, 100000000000000002}
    await _configure(bot, GUILD_ID, DAILY, "Europe/London")
    await _configure(bot, 100000000000000002, 200000000000000002, "Africa/Abidjan")  # also UTC+0
    bots.clock.set(DUE)
    await scheduler_of(bot).tick()
    await scheduler_of(bot).tick()
    assert len(daily_messages(fake, DAILY)) == len(daily_messages(fake, 200000000000000002)) == 1
    assert daily_messages(fake, 200000000000000002)[0].data["guild_id"] == "100000000000000002"


@pytest.mark.parametrize(("break_it", "reason"), [("delete", "deleted"), ("forbid", "may not post")])
async def test_a_channel_deleted_or_forbidden_between_scheduling_and_posting(
    bots: Bots, break_it: str, reason: str
) -> None:
    fake = bots.fake
    bot = await bots.start()
    await set_daily(fake)
    if break_it == "delete":
        await fake.delete_channel(DAILY)
    else:
        fake.forbid(DAILY)
    bots.clock.set(DUE)
    await scheduler_of(bot).tick()
    assert not daily_messages(fake)
    config = await bot.tutor.db.run(get_config, GUILD_ID)
    assert not config.enabled
    _, fields, _ = await slash_text(fake, sub("status"))
    assert reason in fields["State"], fields


# -- 1,000 servers and rate limits ---------------------------------------------------------------


def _configs(db: sqlite_utils.Database, configs: list[DailyConfig], at: dt.datetime) -> None:
    with db.conn:
        for config in configs:
            save_config(db, config, at)


async def _many_servers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shared_library: Library,
    limits: RateLimits,
    options: DailyOptions,
    servers: int,
) -> tuple[FakeDiscord, BackpropBot]:
    fake = FakeDiscord(rate_limits=limits)
    guilds = [(500000000000000000 + i, 600000000000000000 + i) for i in range(servers)]
    for guild_id, channel_id in guilds:
        fake.add_guild(guild_id, channel_id, gateway=False)  # REST only, like servers not yet cached
    await fake.start()
    bots = await _make_bots(fake, tmp_path, monkeypatch, shared_library)
    bot = await bots.start(options)
    bot._test_bots = bots  # type: ignore[attr-defined]
    zones = ["UTC", "Europe/London", "Africa/Abidjan", "Atlantic/Reykjavik"]  # all UTC+0 in March
    configs = [DailyConfig(g, c, dt.time(9, 0), zones[i % 4]) for i, (g, c) in enumerate(guilds)]
    await bot.tutor.db.run(_configs, configs, DUE - dt.timedelta(days=1))
    return fake, bot


async def _tick_until_done(bot: BackpropBot, bots: Bots, ticks: int = 5) -> None:
    for _ in range(ticks):
        await scheduler_of(bot).tick()
        if not await bot.tutor.db.run(open_posts):
            return
        bots.clock.advance(seconds=30)


async def test_a_thousand_servers_due_the_same_minute_all_post_once_within_the_rate_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_library: Library
) -> None:
    # Discord's limits compressed 10x: 50 requests per 100 ms in all (500/s, below what this machine can
    # send unpaced, so the limit binds), 5 per 500 ms per channel route. The bot paces at 80 % of it.
    limits = RateLimits(scale=0.1)
    options = DailyOptions(poll_s=10**9, requests_per_s=0.8 * 50 / 0.1)
    fake, bot = await _many_servers(tmp_path, monkeypatch, shared_library, limits, options, 1000)
    bots: Bots = bot._test_bots  # type: ignore[attr-defined]
    try:
        bots.clock.set(DUE + dt.timedelta(seconds=20))
        await _tick_until_done(bot, bots)
        per_channel = [len(fake.channel(600000000000000000 + i)) for i in range(1000)]
        assert per_channel == [1] * 1000
        assert len(fake.threads) == 1000
        states = await bot.tutor.db.run(
            lambda d: d.execute("SELECT state, COUNT(*) FROM daily_posts GROUP BY state").fetchall()
        )
        assert states == [("recorded", 1000)]
        # Paced below the limit: a stray 429 from scheduling jitter at most, never a storm.
        posts = sum(1 for m, p in fake.requests if m == "POST" and p.startswith("/channels/"))
        assert posts >= 2000 and len(fake.rate_limited) <= posts // 50, len(fake.rate_limited)
    finally:
        await bots.stop_all()
        await fake.stop()


async def test_429s_are_waited_out_and_never_duplicate_a_post(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_library: Library
) -> None:
    # A tight limit (5 requests per 50 ms) and no pacing: the fake answers 429s with retry_after.
    limits = RateLimits(global_limit=5, global_window_s=1.0, scale=0.05)
    options = DailyOptions(poll_s=10**9, requests_per_s=None)
    fake, bot = await _many_servers(tmp_path, monkeypatch, shared_library, limits, options, 12)
    bots: Bots = bot._test_bots  # type: ignore[attr-defined]
    try:
        bots.clock.set(DUE)
        await _tick_until_done(bot, bots)
        assert [len(fake.channel(600000000000000000 + i)) for i in range(12)] == [1] * 12
        assert len(fake.threads) == 12
        assert any(is_global for _, _, is_global in fake.rate_limited)
    finally:
        await bots.stop_all()
        await fake.stop()
