"""SIGKILL an indexing run midway: the rerun completes the catalog with no duplicate rows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from core.demo.pictures import Shot, write_photo
from tests.kill import count_rows, kill_when, start_shoebox

COUNT = 240


def _count(db: Path) -> int:
    return count_rows(db, "SELECT count(*) FROM photos")


def test_sigkill_midway_then_rerun_completes_without_duplicates(tmp_path: Path, cli) -> None:
    pics = tmp_path / "pics"
    for i in range(COUNT):
        write_photo(pics / f"d{i % 6}" / f"IMG_{i:04d}.jpg", 480, 360, i, Shot(taken_at="2021:06:01 12:00:00"))
    library = tmp_path / "library"
    proc = start_shoebox(library, "add", str(pics), "--workers", "2")
    db = library / "catalog.db"
    assert kill_when(proc, lambda: _count(db) > 0), "the run finished before it could be killed"
    killed_at = _count(db)
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
