"""The job process: reset ahead of time, then confine itself and run the code like `python main.py`.

Forked by its init as part of a spare, it first does everything that does not depend on the job
(signals, stdio objects, exit handlers, logging, fds) and waits. When the job arrives: stdio goes
to the job's pipes, rlimits are set while still root, then the environment and the device (a
spare on a GPU worker prepared CUDA while it waited), the unprivileged uid and the script in the
work dir; only then the code runs. From then on nothing in this
process is trusted: the init reports for it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import time
import traceback
from typing import Any, NoReturn

from . import devprep, linux, runner, wire

MB = 1024 * 1024


def main(
    sock: socket.socket, pristine: dict[str, Any], done_fd: int, prepare: str = "", host_ipc: bool = False
) -> NoReturn:
    """`prepare`: the device preparation this spare does while it waits (see devprep.py);
    `host_ipc`: it waits in the pool's IPC namespace and leaves it when the job arrives."""
    prepared = None
    try:
        os.setsid()
        close_other_fds(keep={sock.fileno(), done_fd})
        runner.reset_interpreter(pristine)
        if prepare:
            prepared = devprep.prepare(prepare, pristine.get("framework", "python"))
    except BaseException:
        traceback.print_exc()
        os._exit(wire.SETUP_FAILED)
    message, fds = wire.receive(sock)
    if message is None:
        os._exit(0)
    trace = {"go": time.time()}
    if prepared is not None:
        trace["prepared"] = prepared["at"] + prepared["seconds"]
        if prepared.get("comm"):
            devprep.set_comm(prepared.pop("comm"))
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        code_fd, stdout_fd, stderr_fd = fds
        source = read_all(code_fd)
        redirect_stdio(stdout_fd, stderr_fd)
        # /proc/self/cgroup shows "/", not the host's paths; SysV IPC of the job's own.
        linux.unshare(linux.CLONE_NEWCGROUP | (linux.CLONE_NEWIPC if host_ipc else 0))
        set_oom_score(0)
        apply_rlimits(message["limits"], memory_cgroup=bool(message.get("memory_cgroup")))
        os.environ.clear()
        os.environ.update(message["env"])
        # Before the uid drop: a CUDA context is always created as root (an MPS server serves one
        # uid), whether the spare prepared it or it is made here; a lazy job's code makes its own.
        meta = runner.prepare_device(
            message.get("device", "cpu"),
            message.get("framework", "python"),
            lazy=bool(message.get("lazy_cuda")),
        )
        leave_mps(message)
        if message.get("rootless"):
            drop_privileges_rootless(int(message["uid"]))
        else:
            drop_privileges(int(message["uid"]))
        script = prepare_workdir(message.get("script") or wire.SCRIPT, source)
        if prepared is not None:
            meta["prepared"] = prepared
        runner.enter_script(script, pristine)
        trace["ready"] = time.time()
        wire.send(sock, {**meta, "ready": True, "trace": trace})
        sock.close()
    except BaseException as exc:
        with contextlib.suppress(OSError):
            wire.send(sock, {"error": f"{type(exc).__name__}: {exc}"})
        traceback.print_exc()
        os._exit(wire.SETUP_FAILED)
    runner.run_main(script, source, done_fd)  # never returns


def leave_mps(message: dict[str, Any]) -> None:
    """The job's own context (if any) is made; processes it starts must not ask MPS for one: MPS
    serves one uid at a time, so a client of the job's uid would wait for the root server to end.
    They get the worker's GPU directly instead."""
    if os.environ.pop("CUDA_MPS_PIPE_DIRECTORY", None) is not None and message.get("direct_gpu"):
        if os.environ.get("CUDA_VISIBLE_DEVICES", "").startswith(("GPU-", "MIG-")):
            return  # a UUID names the same GPU with or without MPS
        os.environ["CUDA_VISIBLE_DEVICES"] = str(message["direct_gpu"])


def read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="surrogatepass")


def redirect_stdio(stdout_fd: int, stderr_fd: int) -> None:
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(stdout_fd, 1)
    os.dup2(stderr_fd, 2)
    for fd in {null, stdout_fd, stderr_fd} - {0, 1, 2}:
        os.close(fd)


def close_other_fds(keep: set[int]) -> None:
    """Nothing the pool or the init holds (the host socket, pool pipes) stays open in the job."""
    try:
        fds = sorted(int(name) for name in os.listdir("/proc/self/fd"))
    except OSError:
        fds = list(range(3, 4096))
    for fd in fds:
        if fd > 2 and fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)


def set_oom_score(score: int) -> None:
    # Rootless: lowering a score the user's session raised needs CAP_SYS_RESOURCE in the host's
    # user namespace; the job then keeps the session's (higher) score, which is harmless.
    with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as handle:
        handle.write(str(score))


def apply_rlimits(limits: dict[str, Any], *, memory_cgroup: bool) -> None:
    # RLIMIT_CPU counts the whole process's CPU time: what a spare spent preparing the device
    # while it waited is not the job's, so the budget goes on top of it.
    cpu = max(1, int(float(limits["cpu_s"]) + cpu_seconds_used() + 0.999))
    settings = {
        resource.RLIMIT_CPU: (cpu, cpu + 1),
        resource.RLIMIT_FSIZE: (int(limits["file_size_mb"]) * MB,) * 2,
        resource.RLIMIT_NOFILE: (int(limits["open_files"]),) * 2,
        resource.RLIMIT_NPROC: (int(limits["processes"]),) * 2,
        resource.RLIMIT_CORE: (0, 0),
        resource.RLIMIT_RTPRIO: (0, 0),
    }
    if not memory_cgroup:
        # No memory cgroup on this host: cap the heap instead. RLIMIT_DATA counts private writable
        # mappings, and the job starts with the pool's, so the budget goes on top of those.
        data = int(limits["memory_mb"]) * MB + vm_data_bytes()
        settings[resource.RLIMIT_DATA] = (data, data)
    for which, value in settings.items():
        resource.setrlimit(which, value)


def cpu_seconds_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def vm_data_bytes() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def drop_privileges(uid: int) -> None:
    """A uid of the job's own (so RLIMIT_NPROC is per job), no groups, no capabilities, no way back."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    # Changing uid made the process undumpable, which hides /proc/self from the job itself.
    linux.prctl(linux.PR_SET_DUMPABLE, 1)


def drop_privileges_rootless(uid: int) -> None:
    """Rootless mode: only one host uid exists, so the job gets a user namespace of its own in which
    it is `uid`, mapped onto that one uid, and then gives up every capability it has there.

    The nested namespace owns nothing (not the mounts, the network or the pids the init made), so
    the job cannot undo what its init set up; and the kernel counts RLIMIT_NPROC per user namespace
    (Linux 5.14 and later), so the process limit is the job's own, as with a uid of its own.
    Mapping onto the pool's uid 0 needs CAP_SETFCAP at the unshare (the pool keeps it, rootless)."""
    linux.unshare(linux.CLONE_NEWUSER)
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} 0 1"), ("gid_map", f"{uid} 0 1")):
        with open(f"/proc/self/{name}", "w") as handle:
            handle.write(text)
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    linux.drop_all_capabilities()
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    linux.prctl(linux.PR_SET_DUMPABLE, 1)


def prepare_workdir(script_name: str, source: str) -> str:
    os.chdir(wire.WORKDIR)
    os.mkdir(wire.OUT_DIR)
    path = os.path.join(wire.WORKDIR, script_name)
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as handle:
        handle.write(source)
    return path
