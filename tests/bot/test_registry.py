"""The command registry: typed parsing for the console and chat, typed values from Discord, one place."""

from __future__ import annotations

import pytest

from bot.core.context import Member
from bot.core.registry import ArgError, Param, Registry, Spec
from bot.core.replies import Reply
from bot.core.tutor import Tutor, build_registry
from bot.discord_adapter.slash import build_app_commands, build_chat_commands
from tests import core_fixtures

bank = core_fixtures.bank
db = core_fixtures.db
tutor = core_fixtures.tutor


async def _echo(tutor, request) -> Reply:
    return Reply(text=f"{request.command}|{request.text}|{dict(request.args)}")


REGISTRY = Registry(
    (
        Spec("legacy", _echo, params=(Param("text", "text"),)),
        Spec(
            "typed",
            _echo,
            params=(Param("level", "int", True, min=1, max=3), Param("mode", "choice", choices=("a", "b"))),
        ),
        Spec(
            "group",
            subcommands=(Spec("one", _echo), Spec("two", _echo, params=(Param("who", "user"),))),
            default="one",
        ),
    )
)


def test_console_text_becomes_typed_values() -> None:
    typed = REGISTRY.parse("typed", "2 b")
    assert typed is not None and dict(typed.args) == {"level": 2, "mode": "b"}
    assert dict(REGISTRY.parse("typed", "L3").args) == {"level": 3, "mode": None}
    legacy = REGISTRY.parse("legacy", "  keep  all   the spaces ")
    assert legacy.args["text"] == "keep  all   the spaces"
    assert REGISTRY.parse("group", "").path == ("group", "one")
    assert REGISTRY.parse("group", "two <@123456>").args == {"who": 123456}
    assert REGISTRY.parse("nope", "") is None


@pytest.mark.parametrize(
    ("name", "text", "word", "reason"),
    [
        ("typed", "", "level", "missing"),
        ("typed", "7", "7", "bad"),
        ("typed", "2 c", "c", "bad"),
        ("typed", "2 a extra", "extra", "extra"),
        ("group", "three", "three", "bad"),
    ],
)
def test_words_that_do_not_fit_name_the_word_and_the_usage(name, text, word, reason) -> None:
    with pytest.raises(ArgError) as info:
        REGISTRY.parse(name, text)
    assert (info.value.word, info.value.reason) == (word, reason)
    assert info.value.usage.startswith(f"/{name}")


def test_discord_values_arrive_typed_with_the_text_for_older_handlers() -> None:
    invocation = REGISTRY.resolve(("group", "two"), {"who": 42})
    assert invocation.args == {"who": 42} and invocation.text == "<@42>"


async def test_a_request_text_handler_keeps_working(tutor: Tutor) -> None:
    tutor.commands = REGISTRY
    reply = await tutor.handle("/legacy hello there", Member(1, "m"))
    assert reply.text.startswith("legacy|hello there|")
    reply = await tutor.run(("legacy",), {"text": "from discord"}, Member(1, "m"))
    assert reply.text.startswith("legacy|from discord|")


def test_the_discord_commands_are_generated_from_the_registry() -> None:
    registry = build_registry()

    async def run(*_args) -> None:
        return None

    slash = {c.name: c for c in build_app_commands(registry, run, lambda: None)}  # type: ignore[arg-type]
    listed = {s.name for s in registry.listed() if s.slash}
    assert set(slash) == listed
    quiz = slash["quiz"]
    assert [p.name for p in quiz.parameters] == ["category", "level", "framework", "mode"]
    level = next(p for p in quiz.parameters if p.name == "level")
    assert (level.min_value, level.max_value) == (1, 3)
    daily_set = slash["daily"].get_command("set")
    assert [(p.name, p.required) for p in daily_set.parameters] == [
        ("channel", True),
        ("time", True),
        ("timezone", True),
        ("category", False),
        ("level", False),
    ]
    chat = {c.name for c in build_chat_commands(registry, run)}  # type: ignore[arg-type]
    assert "demo" in chat and "forget-me" not in chat
