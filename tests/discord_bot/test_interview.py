"""A mock interview through the real discord.py client and the fake Discord: /interview, the Answer form,
the key point ticks, the follow-up, the report; in English and in Chinese."""

from __future__ import annotations

from typing import Any

from bot.discord_adapter.client import BackpropBot
from tests.discord_bot.fake_discord import MEMBER_ID, FakeDiscord, Message
from tests.discord_bot.test_bot import opt

ANSWER = "Autograd is reverse-mode automatic differentiation: grad_fn nodes form a DAG, backward uses the chain rule."


def button(message: Message, label_part: str) -> dict[str, Any]:
    return next(b for b in message.buttons() if label_part in (b.get("label") or ""))


async def answer_through_the_form(fake: FakeDiscord, message: Message, text: str, locale: str) -> Message:
    opened = await fake.callback_for(
        await fake.click(
            message, button(message, "Answer" if locale == "en-US" else "作答")["custom_id"], locale=locale
        )
    )
    assert opened.type == 9, opened  # a modal
    field_id = opened.data["components"][0]["components"][0]["custom_id"]
    return (
        await fake.callback_for(
            await fake.submit_modal(opened.data["custom_id"], {field_id: text}, locale=locale)
        )
    ).message


async def test_a_two_question_interview_ends_in_a_report(bot: BackpropBot, fake: FakeDiscord) -> None:
    question = (await fake.callback_for(await fake.slash("interview", [opt("text", "autograd q2")]))).message
    assert "Mock interview · question 1/2" in question.embeds[0]["title"]

    ticks = await answer_through_the_form(fake, question, ANSWER, "en-US")
    assert "key points" in ticks.embeds[0]["title"], ticks.embeds[0]
    assert "1." in ticks.embeds[0]["description"] and (
        "✅" in ticks.embeds[0]["description"] or "⬜" in ticks.embeds[0]["description"]
    )
    follow = (await fake.callback_for(await fake.click(ticks, button(ticks, "Confirm")["custom_id"]))).message
    assert "follow-up" in follow.embeds[0]["title"]
    second = (await fake.callback_for(await fake.click(follow, button(follow, "Next")["custom_id"]))).message
    assert "question 2/2" in second.embeds[0]["title"]

    ticks = await answer_through_the_form(fake, second, "I am not sure.", "en-US")
    follow = (await fake.callback_for(await fake.click(ticks, button(ticks, "Confirm")["custom_id"]))).message
    report = (
        await fake.callback_for(await fake.click(follow, button(follow, "Finish")["custom_id"]))
    ).message
    embed = report.embeds[0]
    assert embed["title"] == "Mock interview report"
    assert "2 of 2 questions" in embed["description"]
    assert any(f["name"] == "Per question" for f in embed["fields"])


async def test_another_member_cannot_answer_my_question(bot: BackpropBot, fake: FakeDiscord) -> None:
    question = (await fake.callback_for(await fake.slash("interview", [opt("text", "q1")]))).message
    other = await fake.callback_for(
        await fake.click(question, button(question, "Answer")["custom_id"], author_id=MEMBER_ID + 1)
    )
    assert other.type != 9  # refused, no form


async def test_a_chinese_member_gets_a_chinese_interview(bot: BackpropBot, fake: FakeDiscord) -> None:
    question = (
        await fake.callback_for(await fake.slash("interview", [opt("text", "q1")], locale="zh-CN"))
    ).message
    assert "模拟面试" in question.embeds[0]["title"]
    ticks = await answer_through_the_form(fake, question, "我不太清楚。", "zh-CN")
    assert "要点" in ticks.embeds[0]["title"]
