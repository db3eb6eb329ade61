"""executor: run members' code and demos in warm, isolated sandboxes (see docs/sandbox.md).

The public names are imported lazily, so `import executor` stays cheap for the bot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from executor.host import SandboxUnavailable
    from executor.protocol import Artifact, Limits, RunResult, RunSpec, Status
    from executor.sandbox import Sandbox

__all__ = ["Artifact", "Limits", "RunResult", "RunSpec", "Sandbox", "SandboxUnavailable", "Status"]

_WHERE = {
    "Artifact": "executor.protocol",
    "Limits": "executor.protocol",
    "RunResult": "executor.protocol",
    "RunSpec": "executor.protocol",
    "Status": "executor.protocol",
    "Sandbox": "executor.sandbox",
    "SandboxUnavailable": "executor.host",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'executor' has no attribute {name!r}")
