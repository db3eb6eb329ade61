"""Choosing an interview's questions."""

import random

import pytest

from bot.core.interview.plan import PlanError, Wanted, member_level, parse_wanted, pick


def test_arguments_in_any_order() -> None:
    assert parse_wanted("") == Wanted(None, None, 5)
    assert parse_wanted("autograd 2 7") == Wanted("autograd", 2, 7)
    assert parse_wanted("7 autograd") == Wanted("autograd", None, 7)
    assert parse_wanted("level3 q4") == Wanted(None, 3, 4)
    assert parse_wanted("2 3") == Wanted(None, 2, 3)
    assert parse_wanted("自动求导", {"自动求导": "autograd"}) == Wanted("autograd", None, 5)
    with pytest.raises(PlanError):
        parse_wanted("autograd 99")


def test_levels_grow_with_the_record() -> None:
    assert member_level(0, 0) == 1 and member_level(12, 8) == 2 and member_level(40, 35) == 3


def test_a_default_interview_mixes_categories_and_avoids_recent_topics(interview_bank) -> None:
    topics = list(interview_bank.topics.values())
    picked = pick(topics, Wanted(questions=5), 3, set(), random.Random(1))
    assert len(picked) == 5 and len({t.category for t in picked}) == 5
    recent = {t.id for t in picked}
    again = pick(topics, Wanted(questions=5), 3, recent, random.Random(2))
    assert not recent & {t.id for t in again}
    level_one = pick(topics, Wanted(questions=10), 1, set(), random.Random(3))
    assert all(t.level == 1 for t in level_one)
