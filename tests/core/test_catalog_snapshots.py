"""Rolling snapshots of a real catalog: taken on the day's first write, checked, seven kept, restorable."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.catalog import snapshots
from core.catalog.db import CatalogDamaged
from core.collections import create_album, list_albums
from core.library import Library
from tests.core.catalog_pages import build_library, garble, page_of, shoebox


def _old_snapshot(library: Library, snapshot_id: str) -> Path:
    """A real snapshot file with an old id (as if taken that day)."""
    path = snapshots.snapshots_dir(library.db.path) / f"catalog-{snapshot_id}.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(path)
    library.db.conn.backup(dest)
    dest.close()
    return path


def test_the_first_write_of_the_day_takes_a_snapshot(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library") as library:
        assert snapshots.list_snapshots(library.db.path) == []
        create_album(library.db, "One")
        first = snapshots.list_snapshots(library.db.path)
        assert len(first) == 1
        create_album(library.db, "Two")
    with Library.open(tmp_path / "library") as library:  # another run the same day: no new snapshot
        create_album(library.db, "Three")
        assert snapshots.list_snapshots(library.db.path) == first
    conn = sqlite3.connect(first[0].path)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM albums").fetchone()[0] == 0  # the catalog before the day's changes
    conn.close()


def test_a_day_old_snapshot_makes_the_next_write_take_one_and_seven_are_kept(tmp_path: Path) -> None:
    with Library.open(tmp_path / "library") as library:
        for day in range(1, 10):
            _old_snapshot(library, f"202001{day:02d}T120000Z")
    with Library.open(tmp_path / "library") as library:
        assert snapshots.due(library.db.path)
        create_album(library.db, "New")
        kept = [s.id for s in snapshots.list_snapshots(library.db.path)]
    assert len(kept) == snapshots.KEEP
    assert kept[1:] == [f"202001{day:02d}T120000Z" for day in range(9, 3, -1)]  # the oldest went
    assert not snapshots.due(tmp_path / "library" / "catalog.db")


def test_a_damaged_catalog_never_pushes_out_the_good_snapshots(tmp_path: Path) -> None:
    library_dir = build_library(tmp_path)
    with Library.open(library_dir) as library:
        for snapshot in snapshots.list_snapshots(library.db.path):
            snapshot.path.unlink()
        for day in range(1, 8):
            _old_snapshot(library, f"202001{day:02d}T120000Z")
    before = snapshots.list_snapshots(library_dir / "catalog.db")
    garble(library_dir / "catalog.db", page_of(library_dir / "catalog.db", "photos"))
    with Library.open(library_dir) as library:
        with pytest.raises(CatalogDamaged, match="is damaged"):
            create_album(library.db, "Never written")
    assert snapshots.list_snapshots(library_dir / "catalog.db") == before
    assert not list((library_dir / "snapshots").glob(".catalog-*"))  # the bad copy is gone


def test_snapshots_are_listed_and_restored_and_the_restore_can_be_undone(tmp_path: Path) -> None:
    library_dir = build_library(tmp_path)  # its last step: `shoebox catalog snapshot`
    listed = shoebox(library_dir, "catalog", "snapshots", "--json")
    assert listed.code == 0
    ids = [s["id"] for s in json.loads(listed.out)]
    assert len(ids) == 2  # the first write's (an empty catalog) and the explicit one
    assert shoebox(library_dir, "album", "add", "Later", "-q", "folder:f0").code == 0
    restored = shoebox(library_dir, "catalog", "restore", ids[0])
    assert restored.code == 0, restored.err
    with Library.open(library_dir, create=False) as library:
        assert sorted(a.name for a in list_albums(library.db)) == ["All", "Trip"]
    newest = json.loads(shoebox(library_dir, "catalog", "snapshots", "--json").out)[0]["id"]
    assert newest not in ids  # the catalog the restore replaced, kept as a snapshot
    assert shoebox(library_dir, "catalog", "restore", newest).code == 0
    with Library.open(library_dir, create=False) as library:
        assert sorted(a.name for a in list_albums(library.db)) == ["All", "Later", "Trip"]


def test_restoring_an_unknown_snapshot_is_a_message(tmp_path: Path) -> None:
    Library.open(tmp_path / "library").close()
    result = shoebox(tmp_path / "library", "catalog", "restore", "19990101")
    assert result.code == 1 and "does not exist" in result.err and "Traceback" not in result.err


def test_a_read_command_never_creates_a_library(tmp_path: Path) -> None:
    typo = tmp_path / "librray"
    for args in (("ls",), ("album",), ("dupes",), ("catalog", "check")):
        result = shoebox(typo, *args)
        assert result.code == 1 and "no library at" in result.err, (args, result.err)
    assert not typo.exists()


def test_an_empty_library_path_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default = tmp_path / "default-library"
    monkeypatch.setenv("SHOEBOX_LIBRARY", str(default))
    for args in (("ls",), ("add", str(tmp_path)), ("catalog", "check")):
        result = shoebox("", *args)
        assert result.code == 1 and "library path is empty" in result.err, (args, result.err)
    assert not default.exists()
