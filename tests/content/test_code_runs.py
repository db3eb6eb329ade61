"""Every code snippet and demo in the bank runs and prints what its topic says it prints."""

import pytest

from content.check import default_runner, items_of, judge
from content.loader import load_bank

BANK = load_bank()
ITEMS = items_of(BANK)
RUNNER = default_runner()


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=[i.name for i in ITEMS])
def test_snippet_runs_and_prints_its_expectation(item) -> None:
    failure = judge(item, RUNNER(item))
    assert failure is None, str(failure)
