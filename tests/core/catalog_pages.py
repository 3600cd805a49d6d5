"""A real library with albums, tags and ratings, and garbling real pages of its catalog.db."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.demo.pictures import Shot, write_photo

ROOT = Path(__file__).resolve().parents[2]
PAGE = 4096
PHOTOS = 60


@dataclass
class Run:
    code: int
    out: str
    err: str


def shoebox(library: Path | str, *args: str) -> Run:
    """The real CLI in a subprocess (a traceback would show on its stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "core.cli.main", "--library", str(library), *args],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def build_library(base: Path) -> Path:
    """60 photos in three folders; album Trip = f1, album All, tag beach = f2, 4 stars = f0; then a snapshot."""
    pics = base / "pics"
    for i in range(PHOTOS):
        write_photo(pics / f"f{i % 3}" / f"p{i:03d}.jpg", 64, 48, i,
                    Shot(taken_at=f"2019:05:{1 + i % 28:02d} 08:{i % 60:02d}:00", make="NIKON", model="D70"))  # fmt: skip
    library = base / "library"
    for args in (("add", str(pics)), ("album", "add", "Trip", "-q", "folder:f1"), ("album", "add", "All", "-q", "year:2019"),
                 ("tag", "add", "beach", "-q", "folder:f2"),
                 ("mark", "--rating", "4", "-q", "folder:f0"), ("catalog", "snapshot")):  # fmt: skip
        run = shoebox(library, *args)
        assert run.code == 0, (args, run.err)
    return library


def copy_library(source: Path, dest: Path) -> Path:
    """A copy of the library directory (the photos stay where they are, shared)."""
    shutil.copytree(source, dest)
    return dest


def page_of(db_path: Path, name: str, kind: str = "leaf", which: str = "second") -> int:
    """A page of table or index ``name``: its second leaf in key order, or its ``last`` (the rightmost)."""
    conn = sqlite3.connect(db_path)
    try:
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY path",
                                            (name, kind))]  # fmt: skip
    finally:
        conn.close()
    assert pages, f"{name} has no {kind} page"
    return pages[-1] if which == "last" else pages[min(1, len(pages) - 1)]


def garble(db_path: Path, page: int) -> None:
    """Overwrite one 4 KB page with noise, as a failing disk does (the catalog is closed)."""
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{db_path}{suffix}")
        assert not leftover.exists() or leftover.stat().st_size == 0 or suffix == "-shm", "the WAL must be checkpointed"
    with open(db_path, "r+b") as handle:
        handle.seek((page - 1) * PAGE)
        handle.write(random.Random(page).randbytes(PAGE))


def counts(db_path: Path) -> dict[str, int]:
    """What the user's work amounts to, read straight from the file."""
    conn = sqlite3.connect(db_path)
    try:
        return {
            "photos": conn.execute("SELECT count(*) FROM photos").fetchone()[0],
            "in Trip": conn.execute(
                "SELECT count(*) FROM album_photos JOIN albums ON albums.id = album_id WHERE albums.name = 'Trip'"
            ).fetchone()[0],  # fmt: skip
            "tagged beach": conn.execute(
                "SELECT count(*) FROM photo_tags JOIN tags ON tags.id = tag_id WHERE tags.name = 'beach'"
            ).fetchone()[0],  # fmt: skip
            "4 stars": conn.execute("SELECT count(*) FROM photos WHERE rating = 4").fetchone()[0],
        }
    finally:
        conn.close()


WHOLE = {"photos": PHOTOS, "in Trip": PHOTOS // 3, "tagged beach": PHOTOS // 3, "4 stars": PHOTOS // 3}
