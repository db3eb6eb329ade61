"""What this host offers a sandbox: root (or the capabilities it needs), bubblewrap, cgroups."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# The capabilities the pool keeps (bwrap --cap-add) and why; docs/sandbox.md explains each.
POOL_CAPABILITIES = (
    "CAP_SYS_ADMIN",  # unshare mount/pid/net/ipc/uts/cgroup namespaces, mount tmpfs and proc, setns
    "CAP_NET_ADMIN",  # bring loopback up in each job's network namespace
    "CAP_SETUID",  # drop each job to its own unprivileged uid
    "CAP_SETGID",
    "CAP_KILL",  # signal job processes that run under another uid
    "CAP_DAC_READ_SEARCH",  # read the job's ./out/ (owned by the job's uid) to return artifacts
    "CAP_SYS_RESOURCE",  # shield the job's init from the OOM killer (oom_score_adj -1000)
)


class SandboxUnavailable(RuntimeError):
    """This host cannot isolate jobs (no bubblewrap, not root, ...): the message says why."""


@dataclass(frozen=True, slots=True)
class HostSupport:
    bwrap: str
    is_root: bool
    gpus: tuple[str, ...]


def _capabilities() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return int(line.split()[1], 16)
    return 0


def probe(bwrap: str | None = None) -> HostSupport:
    """Check what the sandbox needs, or raise SandboxUnavailable with the reason."""
    path = bwrap or shutil.which("bwrap")
    if not path:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
    cap_sys_admin = 1 << 21
    if os.geteuid() != 0 or not _capabilities() & cap_sys_admin:
        raise SandboxUnavailable("the executor must run as root with CAP_SYS_ADMIN (see docs/sandbox.md)")
    gpus = tuple(sorted(str(p) for p in Path("/dev").glob("nvidia[0-9]*")))
    return HostSupport(path, True, gpus)
