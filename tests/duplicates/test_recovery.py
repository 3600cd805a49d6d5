"""Crash safety: whatever step a resolve is killed at, every file is in place or in the trash with its row."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.catalog.photos import get_photo
from core.duplicates import find_groups
from core.library import Library
from core.trash import journal, recover, restore_all
from core.trash.files import part_path, sha256_of
from core.trash.lock import moves_under_way
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene
from tests.kill import count_rows, kill_when, start_shoebox


@pytest.fixture
def setup(index, tmp_path: Path):
    root = tmp_path / "photos"
    save(scene(51, 320, 240), root / "IMG_1.jpg")
    library = index(root)
    item = photo(library, root / "IMG_1.jpg")
    return library, item, root / "IMG_1.jpg", sha256_of(root / "IMG_1.jpg")


def planned(library: Library, photo_id: int):
    with library.db.transaction() as conn:
        entry_id = journal.plan_trash(conn, photo_id)
    entry = journal.get_entry(library, entry_id)
    target = journal.trash_file(library, entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    return entry, target


def state(library: Library, photo_id: int) -> tuple[list[str], str]:
    rows = [r[0] for r in library.db.query("SELECT state FROM trash")]
    return rows, get_photo(library.db, photo_id).status  # type: ignore[union-attr]


def test_killed_before_the_move(setup) -> None:
    library, item, source, digest = setup
    planned(library, item.id)
    assert recover(library) == 1
    assert state(library, item.id) == ([], "present") and sha256_of(source) == digest


def test_killed_after_the_rename(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    os.rename(source, target)
    recover(library)
    assert state(library, item.id) == (["trashed"], "trashed") and sha256_of(target) == digest


def test_killed_between_link_and_unlink(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    os.link(source, target)
    recover(library)
    assert state(library, item.id) == (["trashed"], "trashed")
    assert not source.exists() and sha256_of(target) == digest


def test_killed_while_copying(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    Path(part_path(str(target))).write_bytes(source.read_bytes()[:1000])
    recover(library)
    assert state(library, item.id) == ([], "present") and sha256_of(source) == digest
    assert not target.parent.exists()


def test_killed_after_a_verified_copy_before_removing_the_source(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    shutil.copy2(source, target)
    recover(library)
    assert state(library, item.id) == (["trashed"], "trashed")
    assert not source.exists() and sha256_of(target) == digest


def test_another_file_at_the_original_name_is_never_touched(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    os.rename(source, target)
    source.write_bytes(b"a new file with the old name")
    recover(library)
    assert state(library, item.id) == (["trashed"], "trashed")
    assert source.read_bytes() == b"a new file with the old name" and sha256_of(target) == digest


def test_a_file_deleted_by_someone_else_meanwhile(setup) -> None:
    library, item, source, _digest = setup
    planned(library, item.id)
    source.unlink()
    recover(library)
    assert state(library, item.id) == ([], "missing")


@pytest.mark.parametrize("step", ["before", "linked", "moved"])
def test_killed_while_restoring(setup, step: str) -> None:
    library, item, source, digest = setup
    [entry] = __import__("core.trash", fromlist=["trash_photos"]).trash_photos(library, [item.id]).trashed
    in_trash = journal.trash_file(library, entry)
    journal.plan_restore(library, entry, str(source))
    if step == "linked":
        os.link(in_trash, source)
    elif step == "moved":
        os.rename(in_trash, source)
    recover(library)
    if step == "before":
        assert state(library, item.id) == (["trashed"], "trashed") and sha256_of(in_trash) == digest
    else:
        assert state(library, item.id) == ([], "present") and sha256_of(source) == digest
        assert not in_trash.exists()


# --- once, when the library opens --------------------------------------------------------

#: Opens the library in another process, as a second `shoebox` command or the TUI would.
OPEN_ELSEWHERE = "import sys; from core.library import Library; Library.open(sys.argv[1]).close()"


def open_elsewhere(library: Library) -> None:
    subprocess.run([sys.executable, "-c", OPEN_ELSEWHERE, str(library.directory)],
                   cwd=Path(__file__).resolve().parents[2], check=True)  # fmt: skip


def test_opening_the_library_settles_an_interrupted_move(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    os.rename(source, target)  # killed after the rename, before the rows were updated
    with Library.open(library.directory) as reopened:
        assert state(reopened, item.id) == (["trashed"], "trashed") and sha256_of(target) == digest


def test_a_read_only_find_does_not_write_the_trash_journal(setup) -> None:
    library, item, source, digest = setup
    _entry, target = planned(library, item.id)
    os.rename(source, target)  # a move a process died in, after this library was opened
    rows_before = library.db.query("SELECT * FROM trash")
    find_groups(library)
    find_groups(library, exact_only=True)
    assert [tuple(r) for r in library.db.query("SELECT * FROM trash")] == [tuple(r) for r in rows_before]
    assert state(library, item.id) == (["moving"], "present")  # left for the next open to settle
    assert sha256_of(target) == digest and not source.exists()
    assert not (library.directory / "trash.lock").exists()  # it did not even look at the lock


def test_another_process_opening_leaves_the_moves_of_a_live_one_alone(setup) -> None:
    library, item, source, digest = setup
    with moves_under_way(library):  # this process is moving a file right now
        _entry, target = planned(library, item.id)
        os.rename(source, target)
        open_elsewhere(library)
        assert state(library, item.id) == (["moving"], "present")  # not taken for a dead process's row
        with library.db.transaction() as conn:
            journal.mark_trashed(conn, journal.get_entry(library, _entry.id))  # type: ignore[arg-type]
    open_elsewhere(library)
    assert state(library, item.id) == (["trashed"], "trashed") and sha256_of(target) == digest


def test_a_row_left_while_another_process_moves_is_settled_by_a_later_open(setup) -> None:
    library, item, source, _digest = setup
    planned(library, item.id)  # a process died before moving the file
    with moves_under_way(library):
        open_elsewhere(library)
        assert state(library, item.id) == (["moving"], "present")
    open_elsewhere(library)
    assert state(library, item.id) == ([], "present") and source.exists()


# --- a real SIGKILL in the middle of `shoebox dupes --resolve auto` ------------------------

GROUPS = 60


def _trashed_rows(db: Path) -> int:
    return count_rows(db, "SELECT count(*) FROM trash")


@pytest.mark.parametrize("kill_after", [1, GROUPS // 2])
def test_sigkill_during_resolve_loses_nothing(tmp_path: Path, index, kill_after: int) -> None:
    root = tmp_path / "photos"
    originals: dict[Path, str] = {}
    for i in range(GROUPS):
        first = save(scene(100 + i, 200, 150), root / f"a/IMG_{i:03d}.jpg")
        second = root / f"b/IMG_{i:03d}.jpg"
        second.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(first, second)
        originals[first] = originals[second] = sha256_of(first)
    library = index(root)
    proc = start_shoebox(library.directory, "dupes", "--resolve", "auto", "--exact-only")
    db = library.directory / "catalog.db"
    kill_when(proc, lambda: _trashed_rows(db) >= kill_after, poll=0.002)
    assert proc.returncode == -signal.SIGKILL, "the resolve finished before it could be killed"

    # Before any recovery: each file is at its path, or in the trash with a row naming it.
    rows = {r[0]: library.trash_dir / r[1] for r in library.db.query("SELECT original_path, trash_name FROM trash")}
    for path, digest in originals.items():
        if path.exists():
            assert sha256_of(path) == digest
        else:
            assert str(path) in rows, f"{path} is neither in place nor recorded in the trash"
            assert sha256_of(rows[str(path)]) == digest

    library.close()
    library = Library.open(library.directory)  # opening settles the journal
    assert {r[0] for r in library.db.query("SELECT DISTINCT state FROM trash")} <= {"trashed"}
    for original, trash_name in library.db.query("SELECT original_path, trash_name FROM trash"):
        assert get_photo(library.db, photo(library, Path(original)).id).status == "trashed"  # type: ignore[union-attr]
        assert not Path(original).exists() and (library.trash_dir / trash_name).exists()
    assert not list(library.trash_dir.rglob("*.part"))
    assert library.db.scalar("PRAGMA integrity_check") == "ok"
    # The groups still on show are exactly those whose copies are all still in place.
    shown = {Path(g.photos[0].path).name for g in find_groups(library, exact_only=True)}
    in_place = {
        p.name for p in originals if p.exists() and (root / "a" / p.name).exists() and (root / "b" / p.name).exists()
    }
    assert shown == in_place

    restored, failed = restore_all(library)
    assert failed == []
    for path, digest in originals.items():
        assert sha256_of(path) == digest
