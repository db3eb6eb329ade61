"""What this host offers a sandbox: root (or the capabilities it needs), bubblewrap, user namespaces.

Three modes, best first (docs/sandbox.md compares them):

* `root`: root with CAP_SYS_ADMIN. Each job gets a uid of its own and, where a writable cgroup
  hierarchy exists, memory and pids cgroups.
* `rootless`: an ordinary user where unprivileged user namespaces work. bubblewrap adds
  `--unshare-user`; the pool is "root" only inside its own user namespace and every job runs in a
  nested user namespace of its own, mapped onto the one uid the host user has.
* `none`: no bubblewrap, or no namespaces: nothing runs code; `detect` says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Mode = Literal["root", "rootless", "none"]

# The capabilities the pool keeps (bwrap --cap-add) and why; docs/sandbox.md explains each.
# In rootless mode they are capabilities inside the pool's own user namespace only.
POOL_CAPABILITIES = (
    "CAP_SYS_ADMIN",  # unshare mount/pid/net/ipc/uts/cgroup namespaces, mount tmpfs and proc, setns
    "CAP_NET_ADMIN",  # bring loopback up in each job's network namespace
    "CAP_SETUID",  # drop each job to its own unprivileged uid
    "CAP_SETGID",
    "CAP_KILL",  # signal job processes that run under another uid
    "CAP_DAC_READ_SEARCH",  # read the job's ./out/ (owned by the job's uid) to return artifacts
    "CAP_SYS_RESOURCE",  # shield the job's init from the OOM killer (oom_score_adj -1000)
)

# Rootless only (capabilities in the pool's user namespace): a job maps its nested user namespace
# onto the pool's uid 0, which the kernel allows only to a process that had CAP_SETFCAP.
ROOTLESS_EXTRA_CAPABILITIES = ("CAP_SETFCAP",)

INSTALL_HINT = "apt-get install bubblewrap"
USERNS_HINT = (
    "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
    "user.max_user_namespaces > 0, or an AppArmor profile that allows bwrap), or run the executor as root"
)


class SandboxUnavailable(RuntimeError):
    """This host cannot isolate jobs (no bubblewrap, no namespaces, ...): the message says why."""


@dataclass(frozen=True, slots=True)
class HostSupport:
    bwrap: str
    is_root: bool
    gpus: tuple[str, ...]
    mode: Mode = "root"
    reason: str = ""  # why not `root` (rootless) or why nothing (none); empty in root mode
    problem: str = ""  # mode `none` only: "no-bwrap" or "no-userns", for messages in other languages

    @property
    def rootless(self) -> bool:
        return self.mode == "rootless"


def _capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    return 0


def gpu_nodes() -> tuple[str, ...]:
    return tuple(sorted(str(p) for p in Path("/dev").glob("nvidia[0-9]*")))


def privileged() -> bool:
    cap_sys_admin = 1 << 21
    return os.geteuid() == 0 and bool(_capabilities() & cap_sys_admin)


@cache
def user_namespaces_work(bwrap: str) -> str:
    """'' when bubblewrap can make a user namespace (with pid and net) as this user; else why not."""
    try:
        proc = subprocess.run(
            [bwrap, "--unshare-user", "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/", "true"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap did not run: {exc}"
    if proc.returncode != 0:
        said = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        return f"bubblewrap cannot create a user namespace as uid {os.geteuid()} ({said})"
    return ""


def detect(bwrap: str | None = None) -> HostSupport:
    """The best mode this host allows; never raises (mode `none` carries the reason)."""
    path = bwrap or shutil.which("bwrap") or ""
    gpus = gpu_nodes()
    if not path:
        reason = f"bubblewrap (bwrap) is not installed: {INSTALL_HINT}"
        return HostSupport("", False, gpus, "none", reason, "no-bwrap")
    if privileged():
        return HostSupport(path, True, gpus, "root")
    problem = user_namespaces_work(path)
    if problem:
        return HostSupport(path, False, gpus, "none", f"{problem}; {USERNS_HINT}", "no-userns")
    return HostSupport(
        path,
        False,
        gpus,
        "rootless",
        "not root: jobs run in user namespaces under this user's uid (see docs/sandbox.md, rootless mode)",
    )


def probe(bwrap: str | None = None) -> HostSupport:
    """`detect`, raising SandboxUnavailable with the reason when no mode is possible."""
    host = detect(bwrap)
    if host.mode == "none":
        raise SandboxUnavailable(host.reason)
    return host
