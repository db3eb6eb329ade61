"""/challenge through the real discord.py client and the fake Discord: list, start, submit three ways, board."""

from __future__ import annotations

from bot.discord_adapter.client import BackpropBot
from tests.discord_bot.fake_discord import MEMBER_ID, FakeDiscord, Message

GOOD = """import torch

def log_softmax(x, dim=-1):
    m = x.amax(dim=dim, keepdim=True).detach()
    s = x - m
    return s - s.exp().sum(dim=dim, keepdim=True).log()
"""
NAIVE = """import torch

def log_softmax(x, dim=-1):
    return x - x.exp().sum(dim=dim, keepdim=True).log()
"""
VERDICTS = ("Accepted", "Wrong answer", "Runtime error", "Forbidden", "Not run", "Time limit", "Memory limit")


def sub(name: str, **options: str) -> list[dict]:
    return [
        {"name": name, "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}
    ]


async def graded(fake: FakeDiscord, message: Message) -> dict:
    """The message's embed once grading has finished (the reply is edited in place)."""
    final = await fake.wait_for(
        lambda: any(v in (message.embeds[0].get("title") or "") for v in VERDICTS) and message, 300
    )
    return final.embeds[0]


async def test_list_and_start(bot: BackpropBot, fake: FakeDiscord) -> None:
    assert "challenge" in {c["name"] for c in fake.commands}
    listed = await fake.callback_for(await fake.slash("challenge", sub("list", filters="pytorch")))
    embed = listed.message.embeds[0]
    assert "Coding challenges" in embed["title"]
    assert "conv2d-from-scratch" in embed["description"] or listed.message.buttons()
    started = await fake.callback_for(
        await fake.slash("challenge", sub("start", challenge_id="stable-log-softmax"))
    )
    text = started.message.embeds[0]["description"]
    assert "def log_softmax(x, dim=-1):" in text
    assert "Read the topic" in [b["label"] for b in started.message.buttons()]


async def test_chat_submit_code_block_then_attachment_then_board(bot: BackpropBot, fake: FakeDiscord) -> None:
    # Chat commands answer in the server's language (zh-CN here) unless the member chose one.
    await fake.callback_for(await fake.slash("settings", sub("language", language="en")))
    before = len(fake.channel())
    await fake.send_chat(f"!submit stable-log-softmax\n```python\n{GOOD}```")
    reply = await fake.wait_for(lambda: fake.channel()[before:] and fake.channel()[-1])
    embed = await graded(fake, reply)
    assert "Accepted" in embed["title"], embed
    assert "magnitude 1e4" in embed["description"]

    before = len(fake.channel())
    await fake.send_chat("!submit stable-log-softmax", attachments=[("solution.py", NAIVE.encode())])
    reply = await fake.wait_for(lambda: fake.channel()[before:] and fake.channel()[-1])
    embed = await graded(fake, reply)
    assert "Wrong answer" in embed["title"], embed
    assert "max abs error" in embed["description"]

    board = await fake.callback_for(await fake.slash("challenge", sub("board")))
    text = board.message.embeds[0]["description"]
    assert f"<@{MEMBER_ID}>" in text and "1 solved" in text


async def test_slash_submit_opens_a_modal_that_grades(bot: BackpropBot, fake: FakeDiscord) -> None:
    opened = await fake.callback_for(
        await fake.slash("challenge", sub("submit", challenge_id="stable-log-softmax"))
    )
    assert opened.type == 9
    field_id = opened.data["components"][0]["components"][0]["custom_id"]
    answered = await fake.callback_for(await fake.submit_modal(opened.data["custom_id"], {field_id: GOOD}))
    embed = await graded(fake, answered.message)
    assert "Accepted" in embed["title"], embed
