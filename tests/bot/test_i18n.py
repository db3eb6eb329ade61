"""Every interface string exists in both languages with the same placeholders; every command is described."""

from __future__ import annotations

import string

from bot.core.i18n import catalog
from bot.core.tutor import build_registry


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_zh_and_en_with_the_same_placeholders() -> None:
    problems = []
    for key, texts in catalog().items():
        if set(texts) != {"zh", "en"} or not all(isinstance(v, str) and v for v in texts.values()):
            problems.append(f"{key}: needs non-empty zh and en, has {sorted(texts)}")
        elif placeholders(texts["zh"]) != placeholders(texts["en"]):
            problems.append(f"{key}: zh {placeholders(texts['zh'])} != en {placeholders(texts['en'])}")
    assert not problems, "\n".join(problems)


def test_every_command_and_option_is_described_within_discord_limits() -> None:
    strings = catalog()
    for key in build_registry().description_keys():
        assert key in strings, f"{key} is missing from bot/core/locales/commands.yaml"
        for text in strings[key].values():
            assert len(text) <= 100, (key, text)


def test_executor_refusals_are_worded_in_the_members_language() -> None:
    from bot.core.features.demo import rejection
    from executor.jobs import Rejected

    assert "3" in rejection(Rejected("member_limit", jobs=3), "en")
    assert "个任务" in rejection(Rejected("member_limit", jobs=3), "zh")
    assert "满" in rejection(Rejected("queue_full", jobs=50), "zh")
    assert "some_new_code" in rejection(Rejected("some_new_code"), "en")  # still says something clear


def test_discord_error_lines_come_from_the_catalog() -> None:
    from discord.ext import commands

    from bot.discord_adapter.errors import friendly_message

    assert friendly_message(commands.NoPrivateMessage(), "zh") == "这个命令只能在服务器里用。"
    literal = commands.BadLiteralArgument.__new__(commands.BadLiteralArgument)  # a subclass of BadArgument
    assert "options" in (friendly_message(literal, "en") or "")
