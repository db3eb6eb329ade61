"""A real Tutor over a real SQLite file, with a bank whose topics all carry the same made-up interview
content (two key points, two follow-ups), so the flow's expectations do not depend on the wording of the
bank's own key points; tests/content checks those.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from bot.core.library import Library
from bot.core.tutor import Tutor
from bot.settings import load_settings
from bot.storage import Database
from content.loader import Bank, load_bank
from content.schema import FollowUp, KeyPoint, Topic
from content.search import SearchIndex
from tests import core_fixtures

POINTS = [
    KeyPoint.model_validate(
        {
            "zh": "用 register_buffer 注册的张量会随模型移动。",
            "en": "A tensor registered with register_buffer moves with the model.",
            "terms": {
                "zh": ["register_buffer", "缓冲区"],
                "en": ["register_buffer", "buffer", "moves with the model"],
            },
            "cite": "torch/nn/modules/module.py Module.register_buffer",
        }
    ),
    KeyPoint.model_validate(
        {
            "zh": "缓冲区默认保存进 state_dict。",
            "en": "Buffers are saved in state_dict by default.",
            "terms": {"zh": ["state_dict", "保存"], "en": ["state_dict", "saved", "persistent"]},
            "cite": "torch/nn/modules/module.py Module.state_dict",
        }
    ),
]
FOLLOW_UPS = [
    FollowUp.model_validate(
        {
            "question": {"zh": "如果不想保存它怎么办？", "en": "What if you do not want it saved?"},
            "answer": {"zh": "传 persistent=False。", "en": "Pass persistent=False."},
        }
    )
]


def with_interview_content(topic: Topic) -> Topic:
    return topic.model_copy(update={"key_points": POINTS, "follow_ups": FOLLOW_UPS * 2})


@pytest.fixture(scope="session")
def interview_bank() -> Bank:
    bank = load_bank()
    topics = {tid: with_interview_content(topic) for tid, topic in bank.topics.items()}
    return Bank(topics=topics, demos=bank.demos, paths=bank.paths, problems=bank.problems)


db = core_fixtures.db  # the shared real SQLite fixture (tests/core_fixtures.py)


@pytest.fixture
def tutor(db: Database, interview_bank: Bank, tmp_path: Path) -> Tutor:
    library = Library(bank=interview_bank, index=cast(SearchIndex, None))
    return Tutor(load_settings(data_dir=tmp_path / "data", language="en"), db, library)
