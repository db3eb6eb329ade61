"""What the console keeps on disk besides the database: saved attachments and the input history."""

from __future__ import annotations

import contextlib
from pathlib import Path


def files_dir(data_dir: Path) -> Path:
    return data_dir / "console-files"


def history_path(data_dir: Path) -> Path:
    return data_dir / "console_history"


def forget_console_files(data_dir: Path) -> list[str]:
    """Delete the console's exports, saved attachments and input history; the names deleted."""
    deleted = []
    folder = files_dir(data_dir)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    deleted.append(path.name)
    history = history_path(data_dir)
    if history.exists():
        with contextlib.suppress(OSError):
            history.unlink()
            deleted.append(history.name)
    with contextlib.suppress(ImportError):
        import readline

        readline.clear_history()
    return deleted
