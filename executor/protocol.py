"""What a job asks for and what comes back: typed, JSON-safe dataclasses shared by every caller."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, PlainSerializer

from executor.serial import Serializable, to_data

Framework = Literal["torch", "tensorflow", "python"]
Device = Literal["cpu", "cuda"]

FRAMEWORKS: tuple[str, ...] = ("torch", "tensorflow", "python")
# The content bank says "pytorch"; the executor's pool is called "torch".
FRAMEWORK_ALIASES = {"pytorch": "torch", "tf": "tensorflow"}
DEVICES: tuple[str, ...] = ("cpu", "cuda")

MAX_WALL_S = 120.0
MAX_CODE_BYTES = 1_000_000


# A job that needs CUDA untouched until its own code first uses it (to check torch.cuda.is_initialized(),
# or to fork before initialising CUDA) says so in its leading comments: `# cuda: lazy`.
LAZY_CUDA_HEADER = re.compile(r"#\s*cuda\s*:\s*lazy\b", re.IGNORECASE)


def asks_for_lazy_cuda(code: str) -> bool:
    """Whether the comment lines at the top of `code` include `# cuda: lazy`."""
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return False
        if LAZY_CUDA_HEADER.match(stripped):
            return True
    return False


class Status(StrEnum):
    """How a job ended. A str, so it compares equal to, and serialises as, its value."""

    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    WORKER_LOST = "worker_lost"


def canonical_framework(name: str) -> str:
    """`pytorch` -> `torch`; raises ValueError for anything the executor has no pool for."""
    framework = FRAMEWORK_ALIASES.get(name, name)
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {name!r}; expected one of {', '.join(FRAMEWORKS)} (or pytorch)")
    return framework


@dataclass(frozen=True, slots=True)
class Limits(Serializable):
    """Per-job limits. Memory and processes use cgroups where the host has them, rlimits otherwise.

    `processes` counts threads too (the kernel's pids controller and RLIMIT_NPROC both count tasks),
    so it must leave room for torch's and TensorFlow's thread pools and a few worker processes.
    """

    wall_s: float = 30.0
    cpu_s: float = 60.0
    memory_mb: int = 2048
    processes: int = 256
    file_size_mb: int = 64
    open_files: int = 1024
    output_bytes: int = 1_000_000
    workdir_mb: int = 128
    # Past this much output (kept + dropped) the job is killed with status output_limit.
    output_kill_bytes: int = 256_000_000

    # The most a job may ask for; a Sandbox may set a lower ceiling of its own.
    MAX_WALL_S: ClassVar[float] = MAX_WALL_S

    def problems(self, max_wall_s: float = MAX_WALL_S) -> list[str]:
        """Why these limits cannot be honoured (empty when they can)."""
        found = []
        if not 0 < self.wall_s <= max_wall_s:
            found.append(f"wall_s must be in (0, {max_wall_s:g}], got {self.wall_s:g}")
        if self.cpu_s <= 0:
            found.append("cpu_s must be positive")
        for name in ("memory_mb", "processes", "file_size_mb", "open_files", "output_bytes", "workdir_mb"):
            if getattr(self, name) <= 0:
                found.append(f"{name} must be positive")
        if self.memory_mb < 64:
            found.append("memory_mb must be at least 64")
        if self.processes < 4:
            found.append("processes must be at least 4")
        if self.open_files < 16:
            found.append("open_files must be at least 16")
        if self.output_kill_bytes < self.output_bytes:
            found.append("output_kill_bytes must be at least output_bytes")
        return found


@dataclass(frozen=True, slots=True)
class RunSpec(Serializable):
    """One job: the code, the pool that runs it, the device it wants and its limits.

    `job_id` is the queue's job id (e.g. the Discord interaction id), so the sandbox's log lines and
    report carry the same id as the bot's; a direct `Sandbox.run` without one gets a fresh id.
    """

    code: str
    framework: str = "python"
    device: str = "cpu"
    limits: Limits = field(default_factory=Limits)
    name: str | None = None
    job_id: str | None = None

    def __post_init__(self) -> None:
        alias = FRAMEWORK_ALIASES.get(self.framework)
        if alias:
            object.__setattr__(self, "framework", alias)

    @property
    def lazy_cuda(self) -> bool:
        """The job asked for a pristine CUDA that its own code initialises (`# cuda: lazy`)."""
        return isinstance(self.code, str) and asks_for_lazy_cuda(self.code)

    def problems(self, max_wall_s: float = MAX_WALL_S) -> list[str]:
        """Why this job must be rejected (empty when it may run)."""
        found = []
        if self.framework not in FRAMEWORKS:
            found.append(f"unknown framework {self.framework!r}")
        if self.device not in DEVICES:
            found.append(f"unknown device {self.device!r}; expected cpu or cuda")
        if not isinstance(self.code, str):
            found.append("code must be a string")
        elif len(self.code.encode("utf-8", "surrogatepass")) > MAX_CODE_BYTES:
            found.append(f"code is larger than {MAX_CODE_BYTES} bytes")
        return found + self.limits.problems(max_wall_s)


@dataclass(frozen=True, slots=True)
class Artifact(Serializable):
    """A file the job wrote to ./out/, copied to the worker's results dir before the work dir was removed.

    Its `path` is on the worker: a worker reads the bytes into `JobResult.files` and clears `artifacts`,
    so a file travels once, as bytes, and no result names a path that no longer exists.
    """

    name: str
    size: int
    path: str


def as_text(data: str | bytes) -> str:
    """Output as text: bytes decoded as UTF-8 with junk replaced, so it always survives JSON."""
    if isinstance(data, bytes):
        return data.decode("utf-8", errors="replace")
    # A str may still hold lone surrogates; round-trip them into replacement characters.
    return data.encode("utf-8", errors="replace").decode("utf-8", errors="replace")


def _rounded(value: float) -> float:
    return round(value, 4)


# Output is text that always survives JSON: bytes decoded as UTF-8 and lone surrogates replaced.
Text = Annotated[str, BeforeValidator(lambda v: as_text(v)), PlainSerializer(lambda v: as_text(v))]
Seconds = Annotated[float, PlainSerializer(_rounded)]


@dataclass(frozen=True, slots=True)
class RunResult(Serializable):
    """How one job ended, what it printed (at most Limits.output_bytes together) and what it wrote."""

    status: Status
    exit_code: int | None
    stdout: Text
    stderr: Text
    truncated: bool = False
    dropped_bytes: int = 0
    duration_s: Seconds = 0.0
    device: str = "cpu"
    artifacts: list[Artifact] = field(default_factory=list)
    # What the job's spare prepared before the request arrived (devprep.py), when it did.
    prepared: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def to_dict(self) -> dict[str, Any]:
        data = to_data(self)
        if data.get("prepared") is None:  # only jobs that a prepared spare ran carry it
            data.pop("prepared", None)
        return data

    @classmethod
    def rejected(cls, reasons: list[str]) -> RunResult:
        return cls(Status.REJECTED, None, "", "rejected: " + "; ".join(reasons) + "\n")
