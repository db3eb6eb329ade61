"""Walk every reply the console can produce, in one language, and look for the other language's words.

The walk runs every listed command (and subcommand) with typical arguments as the console does, then
picks every choice of every reply, two levels deep. In `en` mode no reply may contain a Chinese
character; in `zh` mode no reply may contain an English interface string from the catalog.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console.render import render
from bot.core.context import Lang, Member
from bot.core.i18n import catalog
from bot.core.library import Library
from bot.core.replies import Reply
from bot.core.tutor import Tutor
from bot.settings import load_settings
from bot.storage import Database

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ME = Member(user_id=7, name="walker", guild_id=None, is_admin=True)
LINES = (
    "/help",
    "/ask",
    "/ask what does retain_graph keep",
    "/ask gradient",
    "/topics",
    "/topics autograd",
    "/topics nope",
    "/quiz",
    "/quiz autograd 1",
    "/quiz nope",
    "/review",
    "/progress",
    "/leaderboard",
    "/leaderboard all",
    "/export-my-data",
    "/demo",
    "/demo nope",
    "/run",
    "/daily",
    "/daily preview",
    "/daily set 09:00 UTC",
    "/daily status",
    "/daily off",
    "/settings",
    "/settings timezone",
    "/settings timezone Mars/Base",
    "/settings run-code on",
    "/frobnicate",
    "/settings language fr",
    "/forget-me",
)


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


@pytest.fixture
async def walker(tmp_path: Path, library: Library) -> AsyncIterator[Tutor]:
    db = Database(tmp_path / "walk.db")
    await db.start()
    yield Tutor(load_settings(data_dir=tmp_path / "data", language="zh"), db, library)
    await db.close()


async def walk(tutor: Tutor, lang: Lang) -> list[tuple[str, str]]:
    await tutor.handle(f"/settings language {lang}", ME)
    seen: list[tuple[str, str]] = []
    queue = [(line, 0) for line in LINES]
    done: set[str] = set()
    while queue:
        line, depth = queue.pop(0)
        if line in done or "forget-me confirm" in line:
            continue
        done.add(line)
        reply: Reply = await tutor.handle(line, ME)
        seen.append((line, render(reply, lang=lang)))
        if depth < 2:
            queue.extend((c.action, depth + 1) for c in reply.all_choices[:6])
    return seen


async def test_english_mode_has_no_chinese(walker: Tutor) -> None:
    replies = await walk(walker, "en")
    assert len(replies) > 60
    leaks = [(line, text) for line, text in replies if CJK.search(text)]
    assert not leaks, "\n\n".join(f"{line}\n{text}" for line, text in leaks[:5])


def english_ui() -> list[str]:
    """The literal parts (10+ characters) of every English string that differs from its Chinese one."""
    parts = []
    for key, texts in catalog().items():
        if texts["en"] == texts["zh"] or key.startswith("category."):  # English names are also ids
            continue
        for literal in re.split(r"\{[^}]*\}", texts["en"]):
            literal = literal.strip(" .:`*()")
            if len(literal) >= 10 and not CJK.search(literal):
                parts.append(literal)
    return parts


async def test_chinese_mode_has_no_english_interface_strings(walker: Tutor) -> None:
    replies = await walk(walker, "zh")
    phrases = english_ui()
    leaks = [(line, p) for line, text in replies for p in phrases if p in text]
    assert not leaks, leaks[:10]


async def test_a_traditional_question_gets_a_traditional_answer(walker: Tutor) -> None:
    asker = Member(user_id=8, name="tw", guild_id=None)
    simplified = await walker.handle("/ask 显存不够怎么办", asker)
    traditional = await walker.handle("/ask 顯存不夠怎麼辦", asker)
    assert simplified.title and traditional.title
    shown = render(traditional, lang="zh")
    assert any(c in shown for c in "題記憶體體這")  # Traditional-only characters
    assert not any(c in shown for c in "这个问题们")  # their Simplified forms


async def test_the_stored_language_decides_before_any_reply(walker: Tutor) -> None:
    zh_client = Member(user_id=9, name="m", guild_id=None, locale="zh-CN")
    await walker.handle("/settings language en", zh_client)
    for line in ("/help", "/ask", "/frobnicate", "/progress", "/quiz nope", "/settings language"):
        text = render(await walker.handle(line, zh_client), lang="en")
        assert not CJK.search(text), (line, text)


async def test_categories_are_understood_in_either_language(walker: Tutor) -> None:
    for line in ("/topics 自动求导", "/topics Autograd", "/quiz 自动求导", "/quiz 2 自动求导 torch"):
        reply = await walker.handle(line, ME)
        assert reply.tone != "error", (line, reply.text)
    listed = await walker.handle("/topics 自动求导", ME)
    assert all(c.action.startswith("/topic ") for c in listed.select)


async def test_buttons_of_a_traditional_answer_stay_traditional(walker: Tutor) -> None:
    asker = Member(user_id=10, name="tw", guild_id=None)
    answer = await walker.handle("/ask 顯存不夠怎麼辦", asker)
    follow = [c.action for c in answer.all_choices if c.action.startswith(("/topic ", "/code ", "/related "))]
    assert follow and all(a.endswith(" zh-hant") for a in follow), follow
    shown = render(await walker.handle(follow[0], asker), lang="zh")
    assert not any(c in shown for c in "这个们么")
