"""Half-downloaded files a killed restore left in photo folders, found again and removed.

A download is written to ``.NAME.shoebox-XXXX.part`` beside its destination and linked into
place when whole (core/cloud/download.py). If the process is killed meanwhile, the hidden
file stays. So each run first writes the path it is about to create into its journal
(``LIBRARY/cloud-partials/PID.list``); the next run removes the files listed in journals of
processes that are gone — only those exact paths, never anything else in the folder.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

_PART = re.compile(r"^\..+\.shoebox-[0-9a-f]{8}\.part$")


class PartialJournal:
    """The journal of one run: every temporary download path, written before the file is created."""

    def __init__(self, library_dir: Path) -> None:
        self.directory = Path(library_dir) / "cloud-partials"
        self.path = self.directory / f"{os.getpid()}.list"
        self._lock = threading.Lock()
        self._handle = None

    def add(self, path: Path) -> None:
        with self._lock:
            if self._handle is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "a", encoding="utf-8", errors="surrogateescape")
            self._handle.write(os.fsdecode(path) + "\n")
            self._handle.flush()

    def close(self) -> None:
        """The run ended: its temporary files are gone (each download removes its own)."""
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> PartialJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sweep(library_dir: Path) -> list[Path]:
    """Remove the temporary downloads left by runs that were killed; returns the files removed."""
    directory = Path(library_dir) / "cloud-partials"
    try:
        journals = list(directory.glob("*.list"))
    except OSError:
        return []
    removed: list[Path] = []
    for journal in journals:
        if _alive(journal.stem):
            continue
        try:
            lines = journal.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
        except OSError:
            continue
        for line in lines:
            path = Path(line)
            if line and _PART.match(path.name) and path.is_file() and not path.is_symlink():
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass
        journal.unlink(missing_ok=True)
    return removed


def _alive(pid_text: str) -> bool:
    """Whether the process that wrote this journal still runs (then its files are in use)."""
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return False  # an earlier run of this same pid (reused): not running now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
