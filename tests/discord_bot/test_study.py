"""The study loop on (fake) Discord: a slash /quiz, a click on an option, then /progress with its chart."""

from __future__ import annotations

from bot.discord_adapter.client import BackpropBot
from tests.discord_bot.fake_discord import FakeDiscord


async def test_quiz_click_then_progress_has_a_chart(bot: BackpropBot, fake: FakeDiscord) -> None:
    names = {c["name"] for c in fake.commands}
    assert {"export-my-data", "forget-me"} <= names
    quiz = next(c for c in fake.commands if c["name"] == "quiz")
    assert [o["name"] for o in quiz["options"]] == ["category", "level", "framework", "mode"]

    asked = await fake.callback_for(
        await fake.slash("quiz", [{"name": "category", "type": 3, "value": "autograd"}])
    )
    assert asked.type == 4 and asked.message is not None
    options = asked.message.buttons()
    assert len(options) == 5 and all(len(b["label"]) <= 80 for b in options)  # four answers and a hint
    assert "Hint" in options[-1]["label"]
    await fake.settle()

    graded = await fake.callback_for(await fake.click(asked.message, options[0]["custom_id"]))
    assert graded.message is not None
    title = graded.message.embeds[0]["title"]
    assert "Right" in title or "Not quite" in title, title

    progress = await fake.callback_for(await fake.slash("progress"))
    assert progress.message is not None
    (attachment,) = progress.message.data["attachments"]
    assert attachment["filename"] == "progress.png"
    _name, data = progress.message.files[0]
    assert data.startswith(b"\x89PNG")
    fields = {f["name"]: f["value"] for f in progress.message.embeds[0]["fields"]}
    assert fields["Accuracy"].endswith("/1)")

    exported = await fake.callback_for(await fake.slash("export-my-data"))
    assert exported.data.get("flags", 0) & 64  # ephemeral
    assert exported.message is not None and exported.message.files[0][0].endswith(".json")
