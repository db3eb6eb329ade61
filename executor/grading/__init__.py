"""Grading challenge submissions on the executor's sandbox: the verdict is decided outside it."""

from executor.grading.grader import (
    VERDICTS,
    Backend,
    Grade,
    GraderError,
    QueueBackend,
    SandboxBackend,
    Spec,
    TestOutcome,
    grade,
)

__all__ = [
    "VERDICTS",
    "Backend",
    "Grade",
    "GraderError",
    "QueueBackend",
    "SandboxBackend",
    "Spec",
    "TestOutcome",
    "grade",
]
