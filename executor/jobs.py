"""The job protocol between the bot and executor workers: `Job` in, `JobResult` out, `JobEvent`s between.

A job carries its code, so a worker needs no copy of the content bank. Its id doubles as the
idempotency key (e.g. the Discord interaction id): submitting the same id twice runs it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from executor.protocol import Limits, RunResult, RunSpec
from executor.serial import Serializable

DeviceWish = Literal["auto", "cpu", "cuda"]
EventState = Literal["queued", "running", "done"]


@dataclass(frozen=True, slots=True)
class Job(Serializable):
    id: str
    code: str
    framework: str
    device: DeviceWish = "auto"
    limits: Limits = field(default_factory=Limits)
    requester: str = "anonymous"
    guild: str | None = None
    demo: str | None = None
    priority: int = 0

    def spec(self, device: str) -> RunSpec:
        return RunSpec(
            code=self.code,
            framework=self.framework,
            device=device,
            limits=self.limits,
            # The script's file name, which tracebacks show: the demo's, else `snippet.py`.
            name=self.demo or "snippet",
            job_id=self.id,
        )


FILES_TOTAL_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class OutputFile(Serializable):
    """An artifact's bytes, carried inside the result: the bot may run on another machine than the worker."""

    name: str
    data: bytes


def collect_files(paths: list[tuple[str, str]], budget: int = FILES_TOTAL_BYTES) -> tuple[OutputFile, ...]:
    """Read artifacts (name, path) into the result, in order, while they fit in the budget."""
    files = []
    for name, path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if len(data) > budget:
            continue
        budget -= len(data)
        files.append(OutputFile(name, data))
    return tuple(files)


@dataclass(frozen=True, slots=True)
class JobResult(Serializable):
    """The sandbox's result plus where and how long the job waited, and the files it wrote."""

    job_id: str
    result: RunResult
    queue_wait_s: float = 0.0
    worker: str = "?"
    attempts: int = 1
    files: tuple[OutputFile, ...] = ()
    run_s: float = 0.0  # the worker's wall time inside Sandbox.run: all the rest is queue overhead

    @property
    def status(self) -> str:
        return str(self.result.status)


@dataclass(frozen=True, slots=True)
class JobEvent:
    """A status change the bot shows: queued (with its place), running (on which device), done."""

    job_id: str
    state: EventState
    position: int | None = None
    device: str | None = None
    worker: str | None = None
    result: JobResult | None = None


class Rejected(Exception):
    """The queue refused a job. `code` (`member_limit`, `queue_full`) and `values` are stable: the
    caller words them for the member in their language (the executor has no interface strings)."""

    def __init__(self, code: str, **values: int | str) -> None:
        super().__init__(f"{code}: {values}" if values else code)
        self.code = code
        self.values = values

    @property
    def reason(self) -> str:
        return self.code
