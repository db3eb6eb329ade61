"""The pool's world, as a bubblewrap command line: what it sees, what it may do, what it inherits.

System directories read-only, the Python install read-only, the sandbox-side code read-only at
/opt/backprop; no project tree, no data dir, no /sys (but the CPU list), no host /tmp; its own
pid, network, IPC, UTS and cgroup namespaces; a cleared environment. Each job then narrows this
further (see executor/inside/supervisor.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from executor.host import POOL_CAPABILITIES, ROOTLESS_EXTRA_CAPABILITIES
from executor.inside import wire

INSIDE_SOURCE = Path(__file__).resolve().parent / "inside"
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "timezone",
    "nsswitch.conf",
    "host.conf",
    "gai.conf",
    "alternatives",
    "ssl",
    "ca-certificates",
    "mime.types",
    "fonts",
    "os-release",
)
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
GENERATED_ETC = {
    "hosts": "127.0.0.1 localhost sandbox\n::1 localhost ip6-localhost ip6-loopback\n",
    "passwd": "root:x:0:0:root:/root:/usr/sbin/nologin\n"
    "sandbox:x:65534:65534:sandbox:/home/sandbox:/usr/sbin/nologin\n",
    "group": "root:x:0:\nsandbox:x:65534:\n",
    "hostname": "sandbox\n",
}
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def job_env(python_bin: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment a job (and the pool) gets: nothing from the host's."""
    env = {
        "PATH": f"{python_bin}:{PATH}",
        "HOME": wire.WORKDIR,
        "USER": "sandbox",
        "LOGNAME": "sandbox",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "XDG_CACHE_HOME": "/tmp/.cache",
        # Idle OpenMP threads sleep instead of spinning: jobs share few cores with each other.
        "OMP_WAIT_POLICY": "PASSIVE",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "CUDA_VISIBLE_DEVICES": "",
    }
    env.update(extra or {})
    return env


def _parents(path: str, made: set[str]) -> list[str]:
    """World-traversable parent dirs for a bind mount (bwrap would make them 0700)."""
    args = []
    parts = Path(path).parts[1:-1]
    for i in range(1, len(parts) + 1):
        parent = "/" + "/".join(parts[:i])
        if parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", parent]
    return args


@cache
def interpreter_layout(python: str) -> tuple[str, tuple[str, ...]]:
    """(bin dir, prefixes to bind) of the interpreter the pool runs: its venv and its base install."""
    if os.path.realpath(python) == os.path.realpath(sys.executable):
        prefixes = {sys.prefix, sys.base_prefix}
        bindir = os.path.dirname(os.path.abspath(python))
    else:
        out = subprocess.run(
            [python, "-I", "-c", "import sys, json; print(json.dumps([sys.prefix, sys.base_prefix]))"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        prefixes = set(json.loads(out))
        bindir = os.path.dirname(os.path.abspath(python))
    real = {os.path.realpath(p) for p in prefixes} | prefixes
    return bindir, tuple(sorted(p for p in real if not p.startswith("/usr/") and p != "/usr"))


SHADOWED_BY_JOBS = ("/tmp", "/dev/shm")


def shadowed_prefixes(python: str) -> list[tuple[str, str]]:
    """(stash path, prefix) for each interpreter prefix under a dir that every job mounts afresh."""
    _bindir, prefixes = interpreter_layout(python)
    shadowed = [p for p in prefixes if any(p == d or p.startswith(d + "/") for d in SHADOWED_BY_JOBS)]
    return [(f"{wire.STASH_ROOT}/{i}", p) for i, p in enumerate(shadowed)]


def rebind_env(python: str) -> dict[str, str]:
    pairs = os.pathsep.join(f"{stash}={target}" for stash, target in shadowed_prefixes(python))
    return {wire.REBIND_ENV: pairs} if pairs else {}


@dataclass(slots=True)
class FsView:
    bwrap: str
    python: str
    state_dir: Path
    gpus: tuple[str, ...] = ()
    extra_ro: tuple[str, ...] = field(default_factory=tuple)
    rootless: bool = False  # an ordinary user: the pool is root only in a user namespace of its own
    pool_cgroup_ns: bool = True  # a cgroup namespace for the pool (jobs always get their own)
    # Bound read-write at the same path (the worker's MPS pipe directory).
    extra_rw: tuple[str, ...] = field(default_factory=tuple)
    # MPS clients share the MPS server's IPC namespace and /dev/shm (as containers need
    # --ipc=host): the pool keeps the host's, its spares create their CUDA context in it, and
    # each job leaves it, for a private one, before its code runs (supervisor.py, job.py).
    host_ipc: bool = False

    def write_generated_etc(self) -> Path:
        etc = self.state_dir / "etc"
        etc.mkdir(parents=True, exist_ok=True)
        for name, text in GENERATED_ETC.items():
            (etc / name).write_text(text)
        return etc

    def command(self, argv: list[str], env: dict[str, str]) -> list[str]:
        """bwrap ... argv: argv runs as root with POOL_CAPABILITIES in its own namespaces."""
        # Rootless: uid 0 inside maps to this user's uid; the capabilities hold in that namespace only.
        user = ["--unshare-user", "--uid", "0", "--gid", "0"] if self.rootless else []
        args = [
            self.bwrap,
            *user,
            "--die-with-parent",
            "--new-session",
            *([] if self.host_ipc else ["--unshare-ipc"]),
            "--unshare-pid",
            "--unshare-net",
            "--unshare-uts",
            *(["--unshare-cgroup-try"] if self.pool_cgroup_ns else []),
            "--hostname",
            "sandbox",
            "--cap-drop",
            "ALL",
        ]
        for cap in (*POOL_CAPABILITIES, *(ROOTLESS_EXTRA_CAPABILITIES if self.rootless else ())):
            args += ["--cap-add", cap]
        args += self._filesystem()
        args += ["--chdir", wire.WORKDIR, "--clearenv"]
        for key, value in env.items():
            args += ["--setenv", key, value]
        return [*args, "--", *argv]

    def _filesystem(self) -> list[str]:
        args = ["--ro-bind", "/usr", "/usr"]
        for name in TOP_LEVEL:
            host = Path("/") / name
            if host.is_symlink():
                args += ["--symlink", os.readlink(host), f"/{name}"]
            elif host.is_dir():
                args += ["--ro-bind", str(host), f"/{name}"]
        args += ["--perms", "0755", "--dir", "/etc"]
        for name in ETC_FILES:
            args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        etc = self.write_generated_etc()
        for name in GENERATED_ETC:
            args += ["--ro-bind", str(etc / name), f"/etc/{name}"]
        # /dev and /tmp first: a prefix that lies under /tmp (a checkout there) is bound on top of them.
        args += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--dir", wire.WORKDIR]
        if self.host_ipc:
            args += ["--bind", "/dev/shm", "/dev/shm"]
        _bindir, prefixes = interpreter_layout(self.python)
        made: set[str] = set()
        for prefix in (*prefixes, *self.extra_ro):
            args += [*_parents(prefix, made), "--ro-bind", prefix, prefix]
        for stash, target in shadowed_prefixes(self.python):
            args += [*_parents(stash, made), "--ro-bind", target, stash]
        for path in self.extra_rw:
            args += [*_parents(path, made), "--bind", path, path]
        inside = f"{wire.INSIDE_ROOT}/inside"
        args += [*_parents(inside, made), "--ro-bind", str(INSIDE_SOURCE), inside]
        # The pool sees the CPU list only; each job mounts a read-only sysfs of its own network
        # namespace over /sys (gloo and CUDA read it; its /sys/class/net lists just `lo`).
        if self.rootless:
            # In a user namespace the kernel lets a job mount sysfs only where a whole sysfs is
            # already visible: the pool gets the host's, read-only, and every job covers it with
            # its own (without that mount a job would see the host's interface names).
            args += ["--ro-bind", "/sys", "/sys"]
        else:
            cpus = "/sys/devices/system/cpu"
            args += [*_parents(cpus + "/x", made), "--ro-bind-try", cpus, cpus]
        args += self._gpu()
        return args

    def _gpu(self) -> list[str]:
        if not self.gpus:
            return []
        args = []
        for node in ("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset", *self.gpus):
            path = node if node.startswith("/dev/") else f"/dev/{node}"
            args += ["--dev-bind-try", path, path]
        return args
