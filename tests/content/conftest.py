"""Fixtures for the topic-search tests: one index over the real bank per test process."""

from __future__ import annotations

import pytest

from content.loader import load_bank
from content.search import SearchIndex


@pytest.fixture(scope="session")
def search_index() -> SearchIndex:
    return SearchIndex.build(load_bank().topics.values())
