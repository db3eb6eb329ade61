"""The typed protocol: validation, aliases, JSON round trips (no sandbox needed)."""

from __future__ import annotations

import json

import pytest

from executor.output import OutputCapture
from executor.protocol import MAX_WALL_S, Artifact, Limits, RunResult, RunSpec, Status, canonical_framework


def test_statuses_are_exactly_the_issues() -> None:
    assert [s.value for s in Status] == [
        "ok",
        "error",
        "timeout",
        "memory_limit",
        "output_limit",
        "cancelled",
        "rejected",
        "worker_lost",
    ]
    assert Status.OK == "ok"


def test_pytorch_is_an_alias_of_torch() -> None:
    assert RunSpec("pass", framework="pytorch").framework == "torch"
    assert canonical_framework("pytorch") == "torch"
    with pytest.raises(ValueError):
        canonical_framework("jax")


def test_limits_validation() -> None:
    assert Limits().problems() == []
    assert Limits().wall_s == 30
    assert Limits(wall_s=MAX_WALL_S).problems() == []
    assert "wall_s" in Limits(wall_s=MAX_WALL_S + 1).problems()[0]
    assert "wall_s" in Limits(wall_s=10).problems(max_wall_s=5)[0]
    assert Limits(output_kill_bytes=10).problems()


def test_spec_round_trip() -> None:
    spec = RunSpec(
        "print(1)", framework="tensorflow", device="cuda", limits=Limits(wall_s=5, memory_mb=512), name="demo"
    )
    assert RunSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_result_with_binary_junk_is_json_safe() -> None:
    junk = bytes(range(256)).decode("latin-1") + "\udcff lone surrogate"
    result = RunResult(Status.OK, 0, junk, junk, artifacts=[Artifact("a.png", 3, "/tmp/a.png")])
    text = json.dumps(result.to_dict())
    back = RunResult.from_dict(json.loads(text))
    assert back.status is Status.OK
    assert back.artifacts == result.artifacts
    assert "\udcff" not in back.stdout


def test_output_capture_keeps_the_first_bytes_of_both_streams() -> None:
    capture = OutputCapture(limit=10)
    capture.feed("stdout", b"12345")
    capture.feed("stderr", b"abcdefgh")
    capture.feed("stdout", b"zz")
    assert (capture.text("stdout"), capture.text("stderr")) == ("12345", "abcde")
    assert (capture.truncated, capture.dropped_bytes, capture.total) == (True, 5, 15)


def test_one_serializer_round_trips_every_protocol_type() -> None:
    """Jobs and results survive the dict form that travels through the queue, files included."""
    from executor.jobs import Job, JobResult, OutputFile
    from executor.protocol import Artifact, Limits, RunResult, RunSpec, Status

    job = Job("42", "print(1)", "pytorch", "cuda", Limits(wall_s=5), "m1", "g1", "autograd-basics", 3)
    assert Job.from_dict(job.to_dict()) == job
    assert job.spec("cuda").job_id == "42" and RunSpec.from_dict(job.spec("cuda").to_dict()) == job.spec(
        "cuda"
    )
    result = RunResult(
        Status.OK, 0, "out\udcff", "", duration_s=0.123456, artifacts=[Artifact("a.png", 3, "/x")]
    )
    data = result.to_dict()
    assert data["status"] == "ok" and data["duration_s"] == 0.1235 and data["stdout"] == "out?"
    done = JobResult("42", result, 0.5, "w1", 1, (OutputFile("a.png", b"\x89PNG\x00\xff"),))
    back = JobResult.from_dict(done.to_dict())
    assert back.files == done.files and back.result.artifacts == result.artifacts
    assert Limits.from_dict({"wall_s": 3, "from_a_newer_peer": 1}) == Limits(wall_s=3)
