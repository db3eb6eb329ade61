"""`/ask` with pasted errors and off-topic questions: a real Tutor, SQLite file and search index."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.context import Member
from bot.core.features.ask import MAX_QUERY, OFF_TOPIC_SUGGESTIONS
from bot.core.library import Library
from bot.core.tutor import Tutor
from bot.settings import load_settings
from bot.storage import Database

FRAME = (
    'File "/home/student/.venv/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1751, '
    "in _wrapped_call_impl     return self._call_impl(*args, **kwargs)   "
)
ERROR = "IndexError: Target 10 is out of bounds."


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load()


@pytest.fixture
async def tutor(tmp_path: Path, library: Library) -> AsyncIterator[Tutor]:
    database = Database(tmp_path / "ask.db")
    await database.start()
    yield Tutor(load_settings(data_dir=tmp_path / "data", language="en"), database, library)
    await database.close()


def member(locale: str = "en-US") -> Member:
    return Member(user_id=7, name="m7", guild_id=None, locale=locale)


def traceback_of(length: int) -> str:
    """A pasted traceback joined into one line, padded with frames to `length` characters."""
    head = "Traceback (most recent call last):   "
    frames = FRAME * ((length - len(head) - len(ERROR)) // len(FRAME) + 1)
    return (head + frames)[: length - len(ERROR)] + ERROR


async def test_a_4000_character_traceback_is_answered_with_meaning_and_fix(tutor: Tutor) -> None:
    pasted = traceback_of(MAX_QUERY)
    assert len(pasted) == 4000
    reply = await tutor.handle(f"/ask {pasted}", member())
    assert reply.tone == "answer", reply.text
    assert reply.title == "Error: IndexError"
    assert reply.text.startswith("**This error means:**")
    assert "**Fix:**" in reply.text and "ignore_index" in reply.text
    assert reply.meta["topic"] == "training-loop-basics" and reply.meta["error"] == "training-loop-basics:0"


async def test_the_error_is_explained_in_chinese_for_a_chinese_question(tutor: Tutor) -> None:
    reply = await tutor.handle(f"/ask 这个报错怎么办 {ERROR}", member("zh-CN"))
    assert reply.text.startswith("**这个错误的意思：**") and "**怎么修：**" in reply.text


async def test_an_english_traceback_is_explained_in_the_members_language(tutor: Tutor) -> None:
    reply = await tutor.handle(f"/ask {traceback_of(600)}", member("zh-CN"))
    assert reply.title == "报错：IndexError" and reply.text.startswith("**这个错误的意思：**")


async def test_a_longer_paste_is_refused_kindly(tutor: Tutor) -> None:
    reply = await tutor.handle(f"/ask {traceback_of(MAX_QUERY + 50)}", member())
    assert reply.tone == "error" and "too long" in reply.text


async def test_off_topic_says_not_in_the_bank_with_few_suggestions(tutor: Tutor) -> None:
    reply = await tutor.handle("/ask the GIL and python threads", member())
    assert reply.title == "Not in the bank" and reply.tone == "suggestions"
    assert 0 < len(reply.select) <= OFF_TOPIC_SUGGESTIONS
    zh = await tutor.handle("/ask 你好", member("zh-CN"))
    assert zh.title == "题库里没有这个问题"
    assert zh.select == ()  # nothing in the bank is close to a greeting: no suggestions at all


async def test_an_in_scope_question_still_gets_its_topic(tutor: Tutor) -> None:
    reply = await tutor.handle("/ask what does retain_graph keep", member())
    assert reply.tone == "answer" and reply.meta["topic"] == "requires-grad-grad-fn-retain-graph"
