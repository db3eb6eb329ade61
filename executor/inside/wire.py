"""What the host and the pool say to each other, and the fixed paths of a job's view."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from typing import Any

# Where the host binds this package inside the sandbox, and how the pool is started.
INSIDE_ROOT = "/opt/backprop"
BOOT = f"import sys; sys.path.insert(0, {INSIDE_ROOT!r}); from inside.zygote import main; sys.exit(main(sys.argv[1:]))"

# A job's view: a private, size-capped tmpfs at WORKDIR (also HOME and the cwd), with OUT_DIR in it.
WORKDIR = "/home/sandbox"
OUT_DIR = "out"
SCRIPT = "main.py"

# Host -> pool messages: {"op": "run", ...} with these fds attached, in this order;
# {"op": "cancel", "job": id}; {"op": "kill", "job": id}.
RUN_FDS = ("code", "stdout", "stderr", "report", "results")
# Pool -> host: {"op": "ready", ...} once, then {"op": "started", "job": id} per job.
MAX_MESSAGE = 1 << 16
MAX_FDS = 16

# Exit code of a job's init when it could not set the job up (the report says why).
SETUP_FAILED = 70


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | tuple[int, ...] = ()) -> None:
    data = json.dumps(message).encode()
    if fds:
        socket.send_fds(sock, [data], list(fds))
    else:
        sock.send(data)


def receive(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and its fds; (None, []) once the other side has gone."""
    data, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, MAX_FDS)
    if not data:
        for fd in fds:
            _close(fd)
        return None, []
    return json.loads(data), fds


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)


# Prefixes (venv, Python install) that lie under a directory each job mounts afresh (/tmp, /dev/shm)
# are also bound at stash paths; the pool's environment lists "stash=target" pairs under this name.
REBIND_ENV = "SANDBOX_REBIND"
STASH_ROOT = "/opt/backprop/stash"
