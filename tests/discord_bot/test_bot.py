"""The real discord.py client over the real protocol, against the fake Discord."""

from __future__ import annotations

from bot.discord_adapter.client import BackpropBot
from tests.discord_bot.fake_discord import ADMIN_ID, CHANNEL_ID, FakeDiscord


def opt(name: str, value: str) -> dict:
    return {"name": name, "type": 3, "value": value}


async def test_commands_are_synced_only_when_asked(bot: BackpropBot, fake: FakeDiscord) -> None:
    names = {c["name"] for c in fake.commands}
    assert {
        "ask",
        "topics",
        "demo",
        "run",
        "help",
        "settings",
        "quiz",
        "review",
        "progress",
        "leaderboard",
        "daily",
    } <= names
    assert all(len(c["name"]) <= 32 for c in fake.commands)
    assert not fake.unknown, fake.unknown


async def test_slash_ask_answers_with_an_embed_and_buttons(bot: BackpropBot, fake: FakeDiscord) -> None:
    interaction = await fake.slash("ask", [opt("query", "dynamic graph vs static graph")])
    callback = await fake.callback_for(interaction)
    assert callback.type == 4
    message = callback.message
    assert message is not None
    embed = message.embeds[0]
    assert "graph" in embed["title"].lower()
    labels = [b["label"] for b in message.buttons()]
    assert "Code" in labels and "Quiz me" in labels
    assert message.data["allowed_mentions"] == {"parse": []}


async def test_autocomplete_offers_at_most_25_short_choices(bot: BackpropBot, fake: FakeDiscord) -> None:
    interaction = await fake.autocomplete("ask", "query", "grad")
    callback = await fake.callback_for(interaction)
    assert callback.type == 8
    choices = callback.data["choices"]
    assert 0 < len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)


async def test_a_button_click_runs_its_action(bot: BackpropBot, fake: FakeDiscord) -> None:
    interaction = await fake.slash("ask", [opt("query", "dynamic graph vs static graph")])
    message = (await fake.callback_for(interaction)).message
    await fake.settle()
    click = await fake.click(message, message.button("Code")["custom_id"])
    answer = await fake.callback_for(click)
    assert answer.type == 4
    assert "```python" in answer.message.embeds[0]["description"]


async def test_pages_turn_in_place(bot: BackpropBot, fake: FakeDiscord) -> None:
    interaction = await fake.slash("ask", [opt("query", "dynamic graph vs static graph")])
    message = (await fake.callback_for(interaction)).message
    await fake.settle()
    code = await fake.callback_for(await fake.click(message, message.button("Code")["custom_id"]))
    await fake.settle()
    first = code.message.embeds[0]["description"]
    turned = await fake.callback_for(await fake.click(code.message, code.message.button("▶")["custom_id"]))
    assert turned.type == 7
    assert turned.message.embeds[0]["description"] != first
    assert "2/" in turned.message.embeds[0]["footer"]["text"]


async def test_did_you_mean_is_a_select_menu(bot: BackpropBot, fake: FakeDiscord) -> None:
    # An ambiguous question gets "did you mean"; gibberish such as "zxqv blorp" is "not in the bank".
    interaction = await fake.slash("ask", [opt("query", "tensor memory")])
    message = (await fake.callback_for(interaction)).message
    select = message.selects()[0]
    assert 1 <= len(select["options"]) <= 25
    await fake.settle()
    choice = select["options"][0]["value"]
    picked = await fake.callback_for(await fake.click(message, select["custom_id"], values=[choice]))
    assert picked.type == 4
    assert picked.message.embeds[0]["title"]


async def test_chat_command_answers_in_the_channel(bot: BackpropBot, fake: FakeDiscord) -> None:
    before = len(fake.channel())
    await fake.send_chat("!ask what is a dynamic graph")
    message = await fake.wait_for(lambda: fake.channel()[before:] and fake.channel()[-1])
    assert message.embeds and message.embeds[0]["title"]
    assert message.data["channel_id"] == str(CHANNEL_ID)


async def test_over_long_input_gets_a_friendly_error(bot: BackpropBot, fake: FakeDiscord) -> None:
    interaction = await fake.slash("ask", [opt("query", "显存" * 3000)])
    callback = await fake.callback_for(interaction)
    assert "too long" in callback.message.embeds[0]["description"]
    assert callback.data.get("flags", 0) & 64  # ephemeral


async def test_a_non_admin_cannot_turn_on_run_code(bot: BackpropBot, fake: FakeDiscord) -> None:
    sub = [{"name": "run-code", "type": 1, "options": [opt("state", "on")]}]
    interaction = await fake.slash("settings", sub)
    callback = await fake.callback_for(interaction)
    assert "Manage Server" in callback.message.embeds[0]["description"]


async def test_run_modal_respects_the_server_switch(bot: BackpropBot, fake: FakeDiscord) -> None:
    opened = await fake.callback_for(await fake.slash("run"))
    assert opened.type == 9
    modal_id = opened.data["custom_id"]
    field_id = opened.data["components"][0]["components"][0]["custom_id"]
    refused = await fake.callback_for(await fake.submit_modal(modal_id, {field_id: "print(1)"}))
    assert "off on this server" in refused.message.embeds[0]["description"]

    sub = [{"name": "run-code", "type": 1, "options": [opt("state", "on")]}]
    enabled = await fake.callback_for(await fake.slash("settings", sub, author_id=ADMIN_ID))
    assert "on" in enabled.message.embeds[0]["description"]
    opened = await fake.callback_for(await fake.slash("run"))
    ran = await fake.callback_for(
        await fake.submit_modal(opened.data["custom_id"], {field_id: "print(6 * 7)"})
    )
    final = await fake.wait_for(
        lambda: "done" in (ran.message.embeds[0].get("title") or "") and ran.message, 120
    )
    assert "42" in final.embeds[0]["description"]


async def test_demo_runs_end_to_end_through_the_queue(bot: BackpropBot, fake: FakeDiscord) -> None:
    demo = sorted(bot.tutor.library.bank.demos)[0]
    interaction = await fake.slash("demo", [opt("name", demo)])
    callback = await fake.callback_for(interaction)
    message = callback.message
    final = await fake.wait_for(
        lambda: (
            any(w in (message.embeds[0].get("title") or "") for w in ("done", "error", "stopped")) and message
        ),
        180,
    )
    title = final.embeds[0]["title"]
    assert "done" in title, final.embeds[0]
    assert "device" in final.embeds[0]["description"]
    assert message.edits >= 1


async def test_daily_set_with_a_written_channel_name_says_how_to_name_one(
    bot: BackpropBot, fake: FakeDiscord
) -> None:
    """Issue 20, item 5: `!daily set #channel 09:00 Europe/London` (the usage's own example, typed)."""
    before = len(fake.channel())
    await fake.send_chat("!daily set #channel 09:00 Europe/London", author_id=ADMIN_ID)
    message = await fake.wait_for(lambda: fake.channel()[before:] and fake.channel()[-1])
    shown = message.data["content"] + "".join(e.get("description") or "" for e in message.embeds)
    # Chat replies follow the server's language here, so either wording.
    assert "is not a channel I can find" in shown or "不是我能找到的频道" in shown, shown
    assert "`#channel`" in shown


async def test_demo_without_a_name_pages_through_the_list(bot: BackpropBot, fake: FakeDiscord) -> None:
    """Issue 20, item 6: `!demo` lists the first page and the menu's last option turns to the next one."""
    from bot.core.i18n import t

    before = len(fake.channel())
    await fake.send_chat("!demo")
    message = await fake.wait_for(lambda: fake.channel()[before:] and fake.channel()[-1])
    select = message.selects()[0]
    assert len(select["options"]) <= 25
    labels = {t("demo.page_next", "en"), t("demo.page_next", "zh")}
    following = next(o for o in select["options"] if o["label"] in labels)
    await fake.settle()
    turned = await fake.callback_for(
        await fake.click(message, select["custom_id"], values=[following["value"]])
    )
    footer = turned.message.embeds[0]["footer"]["text"]
    assert "Page 2 of" in footer or "第 2" in footer, footer
