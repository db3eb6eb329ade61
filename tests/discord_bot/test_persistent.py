"""Buttons and menus outlive the bot: restart it between sending a reply and clicking on it.

Each test runs one bot, stops it, and starts a new client on the same data dir (as a redeploy does)
before clicking; the components carry only a key to the reply stored in SQLite.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import discord
import pytest
import yarl

from bot.discord_adapter.client import BackpropBot
from bot.settings import load_settings
from tests.discord_bot.fake_discord import ADMIN_ID, MEMBER_ID, OWNER_ID, FakeDiscord

Start = Callable[[], Awaitable[BackpropBot]]


@pytest.fixture
async def restartable(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Start, Callable[[BackpropBot], Awaitable[None]]]]:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    running: dict[BackpropBot, asyncio.Task] = {}

    async def start() -> BackpropBot:
        settings = load_settings(data_dir=tmp_path / "data", owner_ids=[OWNER_ID], embedded_worker=False)
        client = BackpropBot(settings, sync_on_start="global")
        running[client] = asyncio.create_task(client.start("fake-token"))
        await asyncio.wait_for(client.wait_until_ready(), 60)
        await fake.settle()
        return client

    async def stop(client: BackpropBot) -> None:
        task = running.pop(client)
        await client.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    try:
        yield start, stop
    finally:
        for client in list(running):
            await stop(client)


async def test_a_quiz_answer_counts_after_a_restart(fake: FakeDiscord, restartable) -> None:
    start, stop = restartable
    first = await start()
    asked = await fake.callback_for(
        await fake.slash("quiz", [{"name": "category", "type": 3, "value": "autograd"}])
    )
    options = asked.message.buttons()
    assert all(len(b["custom_id"]) <= 100 for b in options)
    await stop(first)

    await start()
    graded = await fake.callback_for(await fake.click(asked.message, options[0]["custom_id"]))
    title = graded.message.embeds[0]["title"]
    assert "Right" in title or "Not quite" in title, title
    # Counted: the footer names the next review, not "not counted".
    assert "Next review" in graded.message.embeds[0]["footer"]["text"], graded.message.embeds[0]


async def test_menus_and_pages_work_after_a_restart(fake: FakeDiscord, restartable) -> None:
    start, stop = restartable
    first = await start()
    listed = await fake.callback_for(await fake.slash("topics"))
    (menu,) = listed.message.selects()
    autograd = next(o for o in menu["options"] if o["description"] == "autograd")
    await stop(first)

    await start()
    picked = await fake.callback_for(
        await fake.click(listed.message, menu["custom_id"], values=[autograd["value"]])
    )
    assert "autograd" in picked.message.embeds[0]["title"].lower()
    (topics_menu,) = picked.message.selects()
    opened = await fake.callback_for(
        await fake.click(
            picked.message, topics_menu["custom_id"], values=[topics_menu["options"][0]["value"]]
        )
    )
    (forward,) = [b for b in opened.message.buttons() if b["label"] == "▶"]  # every answer has pages
    first_page = opened.message.embeds[0]["description"]
    turned = await fake.callback_for(await fake.click(opened.message, forward["custom_id"]))
    assert turned.type == 7  # the message itself is edited
    assert turned.message.embeds[0]["description"] != first_page


async def test_only_the_member_asked_can_confirm_forget_me(fake: FakeDiscord, restartable) -> None:
    start, _stop = restartable
    await start()
    await fake.callback_for(
        await fake.slash(
            "settings",
            [{"name": "language", "type": 1, "options": [{"name": "language", "type": 3, "value": "en"}]}],
        )
    )
    asked = await fake.callback_for(await fake.slash("forget-me"))
    yes = asked.message.buttons()[0]
    assert yes["style"] == 4  # danger

    stranger = await fake.callback_for(await fake.click(asked.message, yes["custom_id"], author_id=ADMIN_ID))
    assert "only for the member" in stranger.message.embeds[0]["description"]

    done = await fake.callback_for(await fake.click(asked.message, yes["custom_id"], author_id=MEMBER_ID))
    assert done.message.embeds[0]["title"], done.message.embeds[0]
    assert "deleted" in (done.message.embeds[0].get("description") or "").lower(), done.message.embeds[0]


async def test_descriptions_are_localised(bot: BackpropBot, fake: FakeDiscord) -> None:
    quiz = next(c for c in fake.commands if c["name"] == "quiz")
    assert quiz["description"] == "Take a multiple-choice question"
    assert quiz["description_localizations"]["zh-CN"] == "做一道选择题"
    assert quiz["description_localizations"]["zh-TW"] != quiz["description_localizations"]["zh-CN"]
    level = next(o for o in quiz["options"] if o["name"] == "level")
    assert level["description_localizations"]["zh-CN"].startswith("难度")
    assert all(not c.get("name_localizations") for c in fake.commands)
