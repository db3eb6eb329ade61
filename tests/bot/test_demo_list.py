"""Issue 20, item 6: `/demo` pages through every demo, filters, and suggests only close names."""

from __future__ import annotations

from bot.core.context import Member
from bot.core.features.demo_list import PAGE_SIZE
from bot.core.tutor import Tutor
from tests import core_fixtures

bank = core_fixtures.bank
db = core_fixtures.db
tutor = core_fixtures.tutor

ME = Member(user_id=3, name="m", guild_id=None, locale="en-US")


async def test_every_demo_is_reachable_page_by_page(tutor: Tutor) -> None:
    seen: list[str] = []
    reply = await tutor.handle("/demo", ME)
    pages = 0
    while True:
        pages += 1
        demos = [c.label for c in reply.select if c.action == f"/demo {c.label}"]
        assert 0 < len(demos) <= PAGE_SIZE and len(reply.select) <= 25
        seen += demos
        following = [c for c in reply.select if "page" in c.action and "Next" in c.label]
        if not following:
            break
        reply = await tutor.handle(following[0].action, ME)
    assert sorted(seen) == sorted(tutor.library.bank.demos) and len(seen) == len(set(seen))
    assert pages == -(-len(seen) // PAGE_SIZE) and pages > 1
    assert f"Page {pages} of {pages}" in (reply.footer or "")


async def test_a_category_or_a_word_filters_the_list(tutor: Tutor) -> None:
    bank = tutor.library.bank
    autograd = {t.demo for t in bank.topics.values() if t.category == "autograd" and t.demo}
    reply = await tutor.handle("/demo autograd", ME)
    listed = {c.label for c in reply.select if "page" not in c.action}
    assert autograd <= listed and len(listed) < len(bank.demos)
    word = await tutor.handle("/demo checkpoint", ME)
    assert "activation-checkpointing" in {c.label for c in word.select}


async def test_an_unknown_name_gets_close_names_or_none(tutor: Tutor) -> None:
    typo = await tutor.handle("/demo autgrad-basics", ME)
    assert typo.tone == "error" and typo.select[0].label == "autograd-basics"
    nope = await tutor.handle("/demo nope", ME)
    assert nope.tone == "error" and not nope.select and "none with a close name" in nope.text
