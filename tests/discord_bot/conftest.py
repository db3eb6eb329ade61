"""The unmodified bot against the fake Discord, with a real SQLite data dir and the embedded queue."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import yarl

from bot.discord_adapter.client import BackpropBot
from bot.settings import load_settings
from tests.discord_bot.fake_discord import OWNER_ID, FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def bot(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BackpropBot]:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url))
    settings = load_settings(data_dir=tmp_path / "data", owner_ids=[OWNER_ID])
    client = BackpropBot(settings, sync_on_start="global")
    task = asyncio.create_task(client.start("fake-token"))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 60)
        await fake.settle()
        yield client
    finally:
        await client.close()
        task.cancel()
        with __import__("contextlib").suppress(asyncio.CancelledError, Exception):
            await task
