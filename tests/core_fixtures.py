"""Fixtures for tests of core features: a real Tutor over a real SQLite file and the real content bank.

The search index is left out: quizzes, reviews and daily posts never search, and building it would only
slow the tests down. Import the fixtures into a conftest to use them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest

from bot.core.library import Library
from bot.core.tutor import Tutor
from bot.settings import load_settings
from bot.storage import Database
from content.loader import Bank, load_bank
from content.search import SearchIndex


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "core.db")
    await database.start()
    yield database
    await database.close()


@pytest.fixture
def tutor(db: Database, bank: Bank, tmp_path: Path) -> Tutor:
    library = Library(bank=bank, index=cast(SearchIndex, None))
    return Tutor(load_settings(data_dir=tmp_path / "data", language="en"), db, library)
