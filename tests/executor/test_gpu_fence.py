"""The GPU memory fence's decisions and MPS commands, against a fake `nvidia-cuda-mps-control`.

There is no GPU here: the fake is a real executable on PATH that records how it was called
(arguments, environment, commands on stdin) and answers like the daemon's control shell.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from executor import cuda_checks
from executor.gpu_fence import (
    GIB,
    FenceError,
    GpuGate,
    MpsDaemon,
    cap_bytes,
    gpu_out_of_memory,
    limit_argument,
    plan_fence,
)

FAKE = r'''#!{python}
"""A stand-in nvidia-cuda-mps-control: -d makes the control pipe; otherwise a command shell."""
import json, os, sys
from pathlib import Path

pipe = Path(os.environ["CUDA_MPS_PIPE_DIRECTORY"])
log = Path(os.environ["FAKE_MPS_LOG"])
mode = os.environ.get("FAKE_MPS_MODE", "ok")

def record(**entry):
    with log.open("a") as f:
        f.write(json.dumps(entry) + "\n")

if sys.argv[1:] == ["-d"]:
    record(argv=sys.argv[1:], env={{k: v for k, v in os.environ.items() if k.startswith("CUDA_")}})
    if mode == "no-start":
        print("An instance of this daemon is already running", file=sys.stderr)
        sys.exit(1)
    (pipe / "control").write_text("")
    sys.exit(0)
if not (pipe / "control").exists():
    print("Cannot find MPS control daemon process", file=sys.stderr)
    sys.exit(1)
for line in sys.stdin:
    command = line.strip()
    record(command=command)
    if command.startswith("set_default_device_pinned_mem_limit"):
        if mode == "refuse":
            print("Invalid device pinned memory limit")
        else:
            (pipe / "limit").write_text(command.split()[-1])
    elif command.startswith("get_default_device_pinned_mem_limit"):
        print((pipe / "limit").read_text())
    elif command == "quit":
        (pipe / "control").unlink()
'''


@pytest.fixture
def fake_mps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "nvidia-cuda-mps-control"
    tool.write_text(FAKE.format(python=sys.executable))
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_MPS_LOG", str(log))
    return log


def calls(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


# deciding the fence


def test_a_cpu_worker_has_nothing_to_fence() -> None:
    plan = plan_fence(None, cap_bytes(16), which=lambda _name: "/usr/bin/nvidia-cuda-mps-control")
    assert plan.mechanism == "none"


def test_mps_is_chosen_where_its_control_program_exists() -> None:
    plan = plan_fence("0", cap_bytes(16), which=lambda _name: "/usr/bin/nvidia-cuda-mps-control")
    assert plan.fenced and not plan.serial
    assert "16 GiB per job" in plan.describe()


def test_without_mps_cuda_jobs_run_one_at_a_time_and_the_worker_says_so() -> None:
    plan = plan_fence("0", cap_bytes(16), which=lambda _name: None)
    assert plan.mechanism == "none" and plan.serial
    assert "not installed" in plan.describe() and "one at a time" in plan.describe()


def test_the_fence_can_be_turned_off_and_a_zero_cap_means_none() -> None:
    found = lambda _name: "/usr/bin/nvidia-cuda-mps-control"  # noqa: E731
    assert plan_fence("0", cap_bytes(16), "none", which=found).serial
    assert plan_fence("0", 0, which=found).serial
    with pytest.raises(ValueError, match="unknown GPU fence"):
        plan_fence("0", cap_bytes(16), "cgroup", which=found)


def test_the_limit_is_given_in_whole_mebibytes() -> None:
    assert limit_argument(cap_bytes(16)) == "16384M"
    assert limit_argument(cap_bytes(0.5)) == "512M"
    assert limit_argument(1) == "1M"


# the daemon, through the fake


def test_the_daemon_starts_with_private_dirs_on_the_pinned_gpu_and_sets_the_limit(
    fake_mps: Path, tmp_path: Path
) -> None:
    daemon = MpsDaemon("3", cap_bytes(16), tmp_path / "state")
    daemon.start()
    try:
        start, limit = calls(fake_mps)
        assert start["argv"] == ["-d"]
        assert start["env"]["CUDA_MPS_PIPE_DIRECTORY"] == str(daemon.pipe_dir)
        assert start["env"]["CUDA_MPS_LOG_DIRECTORY"] == str(daemon.log_dir)
        assert start["env"]["CUDA_VISIBLE_DEVICES"] == "3"
        assert limit["command"] == "set_default_device_pinned_mem_limit 0 16384M"
        assert daemon.send("get_default_device_pinned_mem_limit 0").strip() == "16384M"
        # Jobs reach the daemon through its pipe dir and see its one GPU as device 0.
        assert daemon.client_env() == {
            "CUDA_MPS_PIPE_DIRECTORY": str(daemon.pipe_dir),
            "CUDA_VISIBLE_DEVICES": "0",
        }
    finally:
        daemon.stop()
    assert calls(fake_mps)[-1]["command"] == "quit"
    assert not (daemon.pipe_dir / "control").exists()


def test_a_daemon_that_cannot_start_is_reported(
    fake_mps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MPS_MODE", "no-start")
    daemon = MpsDaemon("0", cap_bytes(16), tmp_path / "state")
    with pytest.raises(FenceError, match="already running"):
        daemon.start()
    assert not daemon.started
    assert [c for c in calls(fake_mps) if "command" in c] == []  # nothing to quit


def test_a_refused_limit_stops_the_daemon_again(
    fake_mps: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_MPS_MODE", "refuse")
    daemon = MpsDaemon("0", cap_bytes(16), tmp_path / "state")
    with pytest.raises(FenceError, match="refused"):
        daemon.start()
    assert calls(fake_mps)[-1]["command"] == "quit"
    assert not (daemon.pipe_dir / "control").exists()


def test_the_doctor_check_reports_the_fence(fake_mps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    result = cuda_checks.gpu_memory_fence(cap_gib=8)
    assert result["name"] == "GPU memory fence"
    assert result["ok"], result
    assert "8 GiB per job" in result["detail"] and "8192M" in result["detail"]
    assert calls(fake_mps)[-1]["command"] == "quit"


def test_the_doctor_check_says_when_there_is_no_fence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no nvidia-cuda-mps-control anywhere
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    result = cuda_checks.gpu_memory_fence()
    assert not result["ok"]
    assert "one at a time" in result["detail"]


# telling a GPU out-of-memory error apart


def test_a_cuda_out_of_memory_traceback_is_recognised() -> None:
    torch_oom = (
        'Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n'
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total "
        "capacity of 139.81 GiB of which 120.00 GiB is free.\n"
    )
    assert gpu_out_of_memory(torch_oom)
    assert gpu_out_of_memory("RuntimeError: CUDA error: out of memory\nCUDA kernel errors might be ...\n")
    assert not gpu_out_of_memory("ValueError: shapes do not match\n")
    assert not gpu_out_of_memory("")


# sharing the GPU


def test_fenced_jobs_share_the_gpu_and_an_unfenced_one_waits_for_them() -> None:
    gate = GpuGate()
    exclusive_got = threading.Event()
    with gate.hold(exclusive=False) as first, gate.hold(exclusive=False) as second:
        assert first and second  # two fenced jobs at once

        def unfenced() -> None:
            with gate.hold(exclusive=True):
                exclusive_got.set()

        thread = threading.Thread(target=unfenced)
        thread.start()
        assert not exclusive_got.wait(0.2)
    thread.join(30)
    assert exclusive_got.is_set()


def test_a_job_waiting_for_the_gpu_can_be_cancelled() -> None:
    gate = GpuGate()
    cancel = threading.Event()
    cancel.set()
    with gate.hold(exclusive=True), gate.hold(exclusive=False, cancel=cancel) as got:
        assert not got
    with gate.hold(exclusive=False) as got:  # nothing was left held
        assert got


def test_cap_bytes_is_gibibytes() -> None:
    assert cap_bytes(16) == 16 * GIB


def test_an_mps_fenced_pool_shares_the_hosts_ipc_and_shm_and_binds_the_pipes(tmp_path: Path) -> None:
    from executor.fsview import FsView

    plain = FsView("/usr/bin/bwrap", sys.executable, tmp_path).command(["true"], {})
    assert "--unshare-ipc" in plain and "/dev/shm" not in plain
    pipes = str(tmp_path / "mps-pipe")
    fenced = FsView("/usr/bin/bwrap", sys.executable, tmp_path, extra_rw=(pipes,), host_ipc=True).command(
        ["true"], {}
    )
    assert "--unshare-ipc" not in fenced
    joined = " ".join(fenced)
    assert "--bind /dev/shm /dev/shm" in joined
    assert f"--bind {pipes} {pipes}" in joined


def test_a_jobs_children_leave_mps_for_the_workers_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from executor.inside import job

    monkeypatch.setenv("CUDA_MPS_PIPE_DIRECTORY", "/run/x/mps-pipe")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    job.leave_mps({"direct_gpu": "3"})
    assert "CUDA_MPS_PIPE_DIRECTORY" not in os.environ
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "3"
    monkeypatch.setenv("CUDA_MPS_PIPE_DIRECTORY", "/run/x/mps-pipe")
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-1234")
    job.leave_mps({"direct_gpu": "3"})
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "GPU-1234"  # a UUID names the same GPU either way


def test_a_dead_workers_daemon_is_told_to_quit(fake_mps: Path, tmp_path: Path) -> None:
    from executor.gpu_fence import stop_stale_daemon

    daemon = MpsDaemon("0", cap_bytes(16), tmp_path / "left-behind")
    daemon.start()  # then the worker "dies" without stop()
    stop_stale_daemon(daemon.state_dir)
    assert calls(fake_mps)[-1]["command"] == "quit"
    assert not (daemon.pipe_dir / "control").exists()
    stop_stale_daemon(tmp_path / "never-had-one")  # nothing there: nothing to do
