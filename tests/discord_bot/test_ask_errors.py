"""`/ask` on Discord with a pasted traceback: the real discord.py client against the fake Discord."""

from __future__ import annotations

from bot.discord_adapter.client import BackpropBot
from tests.discord_bot.fake_discord import FakeDiscord

FRAME = (
    'File "/home/s/.venv/lib/python3.11/site-packages/torch/autograd/__init__.py", line 266, in backward'
    "     Variable._execution_engine.run_backward(   "
)
ERROR = "RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors)"


async def test_a_4000_character_traceback_is_explained(bot: BackpropBot, fake: FakeDiscord) -> None:
    pasted = ("Traceback (most recent call last):   " + FRAME * 40)[: 4000 - len(ERROR)] + ERROR
    assert len(pasted) == 4000
    interaction = await fake.slash("ask", [{"name": "query", "type": 3, "value": pasted}])
    embed = (await fake.callback_for(interaction)).message.embeds[0]
    assert embed["title"] == "Error: RuntimeError"
    assert embed["description"].startswith("**This error means:**")
    assert "retain_graph=True" in embed["description"]
