"""`python -m executor doctor`: the report's shape, its exit status, and the extension point."""

from __future__ import annotations

import json
import os

import pytest

from executor import doctor
from executor.doctor import Check, Doctor
from tests.executor.conftest import needs_sandbox
from tests.executor.test_cli import cli

pytestmark = pytest.mark.timeout(600)


@needs_sandbox
def test_doctor_json_reports_mode_cgroup_gpus_checks_and_exits_by_ok() -> None:
    proc = cli("doctor", "--json")
    report = json.loads(proc.stdout)
    assert set(report) == {"mode", "cgroup", "gpus", "checks", "ok"}
    assert set(report["cgroup"]) == {"version", "memory", "pids"}
    assert all(set(c) == {"name", "ok", "detail"} for c in report["checks"])
    names = [c["name"] for c in report["checks"]]
    for wanted in (
        "bubblewrap",
        "privileges",
        "namespaces",
        "network isolation",
        "memory limit",
        "pids limit",
    ):
        assert wanted in names
    assert {"python job", "torch job", "tensorflow job"} <= set(names)
    assert report["ok"] == all(c["ok"] for c in report["checks"])
    assert proc.returncode == (0 if report["ok"] else 1), proc.stderr
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["memory limit"]["ok"] == report["cgroup"]["memory"]
    assert checks["pids limit"]["ok"] == report["cgroup"]["pids"]
    if os.geteuid() == 0:
        assert report["mode"] == "root"
        others = [c for c in report["checks"] if c["name"] not in ("memory limit", "pids limit")]
        assert all(c["ok"] for c in others), others
    else:
        assert report["mode"] == "rootless"
        assert checks["privileges"]["ok"] is False


@needs_sandbox
def test_checks_are_extensible_and_a_broken_check_fails_without_crashing() -> None:
    def echo(ctx: Doctor) -> Check:
        result = ctx.job("print('from the sandbox')")
        return Check("echo", result.stdout == "from the sandbox\n", result.stdout.strip())

    def gpu_only(ctx: Doctor) -> Check | None:
        return None if ctx.device != "cuda" else Check("gpu only", True, "")

    def broken(ctx: Doctor) -> Check:
        raise ValueError("no such thing")

    report = doctor.run("cpu", checks=[echo, gpu_only, broken])
    assert report["checks"] == [
        {"name": "echo", "ok": True, "detail": "from the sandbox"},
        {"name": "broken", "ok": False, "detail": "ValueError: no such thing"},
    ]
    assert report["ok"] is False
