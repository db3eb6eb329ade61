"""Every code snippet and demo in the bank runs, in the executor's sandbox, and prints what it promises."""

import pytest

from content.check import CheckItem, Runner, default_runner, items_of, judge
from content.loader import load_bank

ITEMS = items_of(load_bank())


@pytest.fixture(scope="session")
def runner() -> Runner:
    return default_runner()


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=[i.name for i in ITEMS])
def test_snippet_runs_and_prints_its_expectation(item: CheckItem, runner: Runner) -> None:
    failure = judge(item, runner(item))
    assert failure is None, str(failure)
