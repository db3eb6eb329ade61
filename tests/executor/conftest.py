"""A real Sandbox per test session (per xdist worker): real bubblewrap, namespaces, cgroups.

Tests that need one skip, with the reason, where the host cannot sandbox (not root, no bwrap).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from executor.host import SandboxUnavailable, probe
from executor.sandbox import Sandbox


def _unavailable() -> str | None:
    try:
        probe()
    except SandboxUnavailable as exc:
        return str(exc)
    return None


REASON = _unavailable()
needs_sandbox = pytest.mark.skipif(REASON is not None, reason=f"cannot sandbox here: {REASON}")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    if REASON is not None:
        pytest.skip(f"cannot sandbox here: {REASON}")
    box = Sandbox(results_dir=tmp_path_factory.mktemp("artifacts"))
    box.warm(["python"])
    yield box
    box.close()
