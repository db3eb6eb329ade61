"""`/daily set|off|status|preview` in the core, as the console and Discord both send them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.daily.clock import ManualClock
from bot.core.daily.config import get_config
from bot.core.daily.set_args import zone_suggestions
from bot.core.tutor import Tutor
from tests.daily.conftest import admin, member

CHANNEL = "<#200000000000000009>"


async def test_set_stores_the_schedule_and_says_when_the_next_one_is(
    tutor: Tutor, clock: ManualClock
) -> None:
    clock.set(dt.datetime(2025, 3, 8, 12, 0, tzinfo=dt.UTC))
    reply = await tutor.handle(f"/daily set {CHANNEL} 02:30 america/new_york autograd 2", admin())
    assert reply.tone == "success", reply.text
    assert "2025-03-09 03:30 America/New_York" in reply.text  # 02:30 does not exist on 03-09 there
    config = await tutor.db.run(get_config, 1)
    assert (config.channel_id, config.post_time, config.zone_name, config.category, config.level) == (
        200000000000000009,
        dt.time(2, 30),
        "America/New_York",
        "autograd",
        2,
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/daily set 09:00 UTC", "Name the channel"),
        (f"/daily set {CHANNEL} UTC", "Give a time"),
        (f"/daily set {CHANNEL} 09:00", "Give a time"),
        (f"/daily set {CHANNEL} 25:00 UTC", "`25:00` is not a time of day. Use the 24-hour clock"),
        (f"/daily set {CHANNEL} 09:00 Mars/Olympus", "Unknown time zone `Mars/Olympus`. Use an IANA name"),
        (f"/daily set {CHANNEL} 09:00 Mars/Base", "Unknown time zone `Mars/Base`"),
        ("/daily set #channel 09:00 Europe/London", "`#channel` is not a channel I can find"),
        (f"/daily set {CHANNEL} 09:00 UTC tensorflow 3 fundamentals", "No question matches"),
        ("/daily frobnicate", "Usage"),
    ],
)
async def test_set_refuses_what_it_cannot_use(
    tutor: Tutor, clock: ManualClock, line: str, expected: str
) -> None:
    reply = await tutor.handle(line, admin())
    assert reply.tone == "error" and expected in reply.text, reply.text
    assert await tutor.db.run(get_config, 1) is None


async def test_only_managers_set_or_turn_off(tutor: Tutor, clock: ManualClock) -> None:
    for line in (f"/daily set {CHANNEL} 09:00 UTC", "/daily off"):
        reply = await tutor.handle(line, member(5))
        assert reply.tone == "error" and "Manage Server" in reply.text
    assert await tutor.db.run(get_config, 1) is None


async def test_status_before_set_after_set_and_after_off(tutor: Tutor, clock: ManualClock) -> None:
    before = await tutor.handle("/daily status", member(5))
    assert "no daily question yet" in before.text
    await tutor.handle(f"/daily set {CHANNEL} 21:00 Asia/Shanghai", admin())
    status = await tutor.handle("/daily", member(5))
    fields = {f.name: f.value for f in status.fields}
    assert fields["Channel"] == CHANNEL and fields["Time"] == "21:00 Asia/Shanghai"
    assert fields["Topics"] == "all topics" and "On" in fields["State"] and "Next post" in fields
    assert (await tutor.handle("/daily off", admin())).tone == "success"
    assert "already off" in (await tutor.handle("/daily off", admin())).text
    fields = {f.name: f.value for f in (await tutor.handle("/daily status", member(5))).fields}
    assert "turned off with `/daily off`" in fields["State"] and "Next post" not in fields


async def test_the_console_previews_without_a_channel(tutor: Tutor, clock: ManualClock) -> None:
    console = admin(guild_id=None, user_id=1)
    preview = await tutor.handle("/daily preview", console)
    assert "Preview" in (preview.title or "") and "A. " in preview.text and not preview.choices
    reply = await tutor.handle("/daily set 08:00 Europe/London modules", console)
    assert reply.tone == "success" and "console" in reply.text
    config = await tutor.db.run(get_config, 0)
    assert config.channel_id == 0 and not config.posts_to_discord
    preview = await tutor.handle("/daily preview", console)
    assert preview.meta["topic"] in {
        t.id for t in tutor.library.bank.topics.values() if t.category == "modules"
    }


async def test_the_console_takes_its_own_example_and_previews_what_it_set(
    tutor: Tutor, clock: ManualClock
) -> None:
    """Issue 20, item 5: `/daily set #channel 09:00 Europe/London`, as the usage line shows it."""
    console = admin(guild_id=None, user_id=1)
    reply = await tutor.handle("/daily set #channel 09:00 Europe/London", console)
    assert reply.tone == "success", reply.text
    assert "a channel is optional (and ignored if given)" in reply.text
    preview = await tutor.handle("/daily preview", console)
    goes_out = {f.name: f.value for f in preview.fields}["Goes out"]
    assert "not scheduled" not in goes_out and "the console posts nothing" in goes_out
    for line, clear in (
        ("/daily set 25:00 Europe/London", "not a time of day"),
        ("/daily set 09:00 Mars/Base", "Unknown time zone"),
    ):
        refused = await tutor.handle(line, console)
        assert refused.tone == "error" and clear in refused.text, refused.text


def test_zone_autocomplete_finds_iana_names() -> None:
    assert zone_suggestions("shang", 25) == ["Asia/Shanghai"]
    assert len(zone_suggestions("america/", 25)) == 25
