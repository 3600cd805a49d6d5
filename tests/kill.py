"""Kill -9 a real ``shoebox`` process at a chosen moment, for the kill-and-resume tests."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def count_rows(db: Path, sql: str) -> int:
    """``sql``'s count in the catalog, read-only; 0 while the catalog or its table is not there yet."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def start_shoebox(library: Path, *args: str, stderr: int = subprocess.DEVNULL) -> subprocess.Popen:
    """``shoebox --library LIBRARY ARGS`` in a process group of its own (its workers die with it)."""
    command = [sys.executable, "-m", "core.cli.main", "--library", str(library), *args]
    return subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=stderr)


def kill_when(proc: subprocess.Popen, ready: Callable[[], bool], *, timeout: float = 60, poll: float = 0.01) -> bool:
    """SIGKILL ``proc``'s process group as soon as ``ready()``; False if it ended (or timed out) first."""
    deadline = time.monotonic() + timeout
    killed = False
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(poll)
    proc.wait(timeout=30)
    return killed
