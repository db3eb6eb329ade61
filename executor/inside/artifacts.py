"""Copy what the job left in ./out/ to the host's results dir: images and text only, bounded.

Runs in the job's init after every job process is dead, so nothing changes under it. Every open
refuses symlinks and anything but a regular file, so a job cannot point the copy at a file of the
sandbox's own (the init runs as root).
"""

from __future__ import annotations

import os
import re
import stat
from typing import Any

from . import wire

DEFAULT_EXTENSIONS = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".svg",
    ".txt",
    ".csv",
    ".tsv",
    ".json",
    ".md",
    ".log",
)
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CHUNK = 1 << 20


def collect(policy: dict[str, Any], results_fd: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Copy eligible files; returns (copied [{name, size}], notes about the files left out)."""
    max_files = int(policy.get("max_files", 10))
    max_bytes = int(policy.get("max_bytes", 8_000_000))
    extensions = tuple(policy.get("extensions", DEFAULT_EXTENSIONS))
    try:
        out_fd = os.open(
            os.path.join(wire.WORKDIR, wire.OUT_DIR), os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
        )
    except OSError:
        return [], []
    copied: list[dict[str, Any]] = []
    notes: list[str] = []
    try:
        for name in sorted(os.listdir(out_fd)):
            reason = refusal(name, extensions)
            if reason is None and len(copied) >= max_files:
                reason = f"more than {max_files} files"
            if reason is None:
                reason = copy_one(out_fd, results_fd, name, max_bytes)
            if reason is None:
                copied.append({"name": name, "size": os.stat(name, dir_fd=results_fd).st_size})
            else:
                notes.append(f"artifact out/{name[:100]!s} not returned: {reason}")
    finally:
        os.close(out_fd)
        os.close(results_fd)
    return copied, notes


def refusal(name: str, extensions: tuple[str, ...]) -> str | None:
    if not _SAFE_NAME.match(name):
        return "name must be letters, digits, '.', '_' or '-'"
    if not name.lower().endswith(extensions):
        return "only images and text files come back"
    return None


def copy_one(out_fd: int, results_fd: int, name: str, max_bytes: int) -> str | None:
    try:
        src = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=out_fd)
    except OSError as exc:
        return f"cannot open ({exc.strerror})"
    try:
        info = os.fstat(src)
        if not stat.S_ISREG(info.st_mode):
            return "not a regular file"
        if info.st_size > max_bytes:
            return f"{info.st_size} bytes is over the {max_bytes} byte limit"
        dst = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=results_fd)
        try:
            remaining = max_bytes
            while remaining > 0 and (chunk := os.read(src, min(_CHUNK, remaining))):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(dst, view) :]
                remaining -= len(chunk)
        finally:
            os.close(dst)
    finally:
        os.close(src)
    return None
