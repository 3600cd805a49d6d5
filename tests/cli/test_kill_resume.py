"""SIGKILL an indexing run midway: the rerun completes the catalog with no duplicate rows."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from core.demo.pictures import Shot, write_photo

COUNT = 240


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM photos").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_sigkill_midway_then_rerun_completes_without_duplicates(tmp_path: Path, cli) -> None:
    pics = tmp_path / "pics"
    for i in range(COUNT):
        write_photo(pics / f"d{i % 6}" / f"IMG_{i:04d}.jpg", 480, 360, i, Shot(taken_at="2021:06:01 12:00:00"))
    library = tmp_path / "library"
    command = [sys.executable, "-m", "core.cli.main", "--library", str(library), "add", str(pics), "--workers", "2"]
    proc = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = library / "catalog.db"
    deadline = time.monotonic() + 60
    killed_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        if _count(db) > 0:
            os.killpg(proc.pid, signal.SIGKILL)
            killed_at = _count(db)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert killed_at is not None, "the run finished before it could be killed"
    assert 0 < killed_at < COUNT

    resumed = cli("index", "--json", "--workers", "2")
    assert resumed.code == 0
    stats = json.loads(resumed.out)
    assert stats["indexed"] == COUNT - killed_at
    conn = sqlite3.connect(db)
    total, distinct_paths = conn.execute("SELECT count(*), count(DISTINCT path) FROM photos").fetchone()
    assert total == distinct_paths == COUNT
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    from PIL import Image

    for thumb in (library / "thumbnails").rglob("*.jpg"):  # every finished thumbnail is whole
        with Image.open(thumb) as img:
            img.load()

    again = json.loads(cli("index", "--json").out)
    assert again["indexed"] == 0 and again["unchanged"] == COUNT
