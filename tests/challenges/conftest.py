"""One real Sandbox (bubblewrap, warm torch and TensorFlow pools) for the grading tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from executor.grading import SandboxBackend
from executor.sandbox import Sandbox
from tests.executor.conftest import REASON


@pytest.fixture(scope="session")
def grading_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    if REASON is not None:
        pytest.skip(f"cannot sandbox here: {REASON}")
    box = Sandbox(results_dir=tmp_path_factory.mktemp("grading"))
    yield box
    box.close()


@pytest.fixture
def backend(grading_sandbox: Sandbox) -> SandboxBackend:
    return SandboxBackend(grading_sandbox)
