"""Every topic of the bank, in both languages, renders within Discord's limits."""

from __future__ import annotations

import pytest

from bot.core.features.topic_view import code_reply, topic_reply
from bot.discord_adapter import limits
from bot.discord_adapter.render import build_embed, page_count
from bot.discord_adapter.views import ReplyView
from content.loader import load_bank

BANK = load_bank()


def check_embed(embed) -> None:
    assert len(embed) <= limits.EMBED_TOTAL
    assert len(embed.title or "") <= limits.EMBED_TITLE
    assert len(embed.description or "") <= limits.EMBED_DESCRIPTION
    assert len(embed.fields) <= limits.EMBED_FIELDS
    for field in embed.fields:
        assert len(field.name) <= limits.EMBED_FIELD_NAME
        assert len(field.value) <= limits.EMBED_FIELD_VALUE
    assert len(embed.footer.text or "") <= limits.EMBED_FOOTER


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("topic_id", sorted(BANK.topics))
async def test_topic_renders_within_discord_limits(topic_id: str, lang: str) -> None:
    topic = BANK.topics[topic_id]
    for reply in (topic_reply(topic, lang), code_reply(topic, lang)):
        for page in range(page_count(reply)):
            check_embed(build_embed(reply, page))
        view = ReplyView(reply, "k" * 16)  # the longest key shown.remember makes is 12
        assert len(view.children) <= 25
        for item in view.children:
            if hasattr(item, "label") and item.label:
                assert len(item.label) <= limits.BUTTON_LABEL
            if getattr(item, "custom_id", None):
                assert len(item.custom_id) <= limits.CUSTOM_ID
    for mcq in topic.quiz.mcq:
        assert all(len(o) <= limits.BUTTON_LABEL for o in getattr(mcq.options, lang))


def test_an_oversized_reply_is_trimmed_to_6000() -> None:
    from bot.core.replies import Field, Reply

    reply = Reply(
        title="t" * 400,
        text="x" * 5000,
        fields=tuple(Field("n" * 300, "v" * 2000) for _ in range(30)),
        footer="f" * 3000,
    )
    check_embed(build_embed(reply))
