"""Drive the console as a person would: a real `python -m bot console` subprocess fed through a pipe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import REPO, cli_env

README_EXAMPLE = "/help\n/ask what does retain_graph keep\n1\n"
LOUD = ("WARNING", "ERROR", "CRITICAL", "Traceback")


def run_console(script: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The console with the default settings (embedded worker on), its input piped in."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=script,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=cli_env(BACKPROP_DATA_DIR=str(data_dir), **env),
        timeout=300,
    )


def loud_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if any(word in line for word in LOUD)]


class LiveConsole:
    """A console whose input stays open: write lines, wait for output, send signals."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=cli_env(BACKPROP_DATA_DIR=str(data_dir), **env),
        )
        self.stdout = ""
        self.stderr = ""
        self._lock = threading.Lock()
        threading.Thread(target=self._pump, args=("stdout",), daemon=True).start()
        threading.Thread(target=self._pump, args=("stderr",), daemon=True).start()

    def _pump(self, name: str) -> None:
        stream = getattr(self.proc, name)
        for line in stream:
            with self._lock:
                setattr(self, name, getattr(self, name) + line)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def close_input(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def wait_for(self, needle: str, timeout: float = 240.0) -> None:
        """Wait until `needle` appears in stdout (a generous bound: the machine may be loaded)."""
        deadline = time.monotonic() + timeout
        while needle not in self.stdout:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"{needle!r} never appeared; stdout:\n{self.stdout[-3000:]}\n{self.stderr}"
                )
            time.sleep(0.05)

    def interrupt(self) -> None:
        os.kill(self.proc.pid, signal.SIGINT)

    def wait(self, timeout: float = 240.0) -> int:
        code = self.proc.wait(timeout)
        time.sleep(0.1)  # let the pump threads drain the pipes
        return code
