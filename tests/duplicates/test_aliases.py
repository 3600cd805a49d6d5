"""One file reached by two paths is one photo: never a duplicate pair, never trashed as a copy.

Issue #9, data-loss points 1–3, on real files: the same folder added twice (through a
symlink, a bind mount, a root inside another root), a symlinked file beside its target, a
root holding a link to ``/``; and the re-check right before a copy moves to the trash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.catalog.db import Database
from core.catalog.migrations import MIGRATIONS
from core.catalog.photos import count_photos, get_photo_by_path, iter_photos, list_problems, store_media
from core.catalog.roots import RootError, add_root, check_root
from core.demo.pictures import Shot
from core.duplicates import find_groups, resolve_group
from core.duplicates.records import DuplicateGroup
from core.indexing.indexer import index_library
from core.library import Library
from core.media.analyze import analyze_file
from core.trash import list_trash, purge
from core.trash.files import sha256_of
from tests.conftest import is_root
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene


def _bytes_of(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` by its path relative to it (links not followed)."""
    found = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink():
                found[str(path.relative_to(folder))] = sha256_of(path)
    return found


def _register_root(library: Library, path: Path, *, reference: bool = False) -> None:
    """A root as an older Shoebox registered it (before overlapping roots were refused)."""
    with library.db.transaction() as conn:
        conn.execute("INSERT INTO roots (path, added_at, reference) VALUES (?, '2025-01-01T00:00:00', ?)",
                     (str(path), int(reference)))  # fmt: skip


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """Two photos and an exact copy of one, in a real folder; ``alias`` is a symlink to it."""
    root = tmp_path / "photos"
    save(scene(71), root / "X.jpg", Shot(taken_at="2021:05:01 10:00:00"))
    save(scene(72), root / "Y.jpg")
    (tmp_path / "alias").symlink_to(root, target_is_directory=True)
    return root


# --- point 1: the same folder added twice ----------------------------------------------------


def test_a_folder_added_again_through_a_symlink_is_refused(library: Library, photos: Path, tmp_path: Path) -> None:
    add_root(library.db, str(photos))
    with pytest.raises(RootError, match="same folder as the root"):
        add_root(library.db, str(tmp_path / "alias"))
    add_root(library.db, str(photos))  # the same path again stays a no-op


def test_aliased_roots_in_an_older_catalog_are_never_paired_or_trashed(
    library: Library, photos: Path, tmp_path: Path
) -> None:
    """Both roots catalogued (each indexed alone, as an older Shoebox let it): no pair, no loss."""
    _register_root(library, photos, reference=True)
    _register_root(library, tmp_path / "alias")
    index_library(library, [str(photos)], workers=1)
    index_library(library, [str(tmp_path / "alias")], workers=1)
    assert count_photos(library.db) == 4  # two paths of each of two files
    before = _bytes_of(photos)
    assert find_groups(library, exact_only=True) == []
    assert find_groups(library) == []
    # Groups built from both paths (an older pane's list) resolve to nothing trashed.
    real, alias = photo(library, photos / "X.jpg"), photo(library, tmp_path / "alias" / "X.jpg")
    resolution = resolve_group(library, DuplicateGroup("exact", [real, alias], real.id, "", 0))
    assert resolution.trashed == [] and "in the reference folder" in resolution.skipped[0][1]
    with library.db.transaction() as conn:
        conn.execute("UPDATE roots SET reference = 0")
    resolution = resolve_group(library, DuplicateGroup("exact", [alias, real], alias.id, "", 0))
    assert resolution.trashed == [] and "same file" in resolution.skipped[0][1]
    purge(library, older_than=timedelta(0))
    assert _bytes_of(photos) == before and list_trash(library) == []
    # Indexing every root now walks the folder once: the paths through the link go missing.
    index_library(library, workers=1)
    present = [p.path for p in iter_photos(library.db)]
    assert sorted(present) == [str(photos / "X.jpg"), str(photos / "Y.jpg")]


def test_a_reference_folder_reached_through_a_nested_alias_root_is_never_trashed(
    library: Library, photos: Path, tmp_path: Path
) -> None:
    """``photos`` is a reference root; ``alias/sub`` (the same ``photos/sub``) is an ordinary one."""
    save(scene(73), photos / "sub" / "Z.jpg")
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy2(photos / "sub" / "Z.jpg", other / "Z copy.jpg")
    add_root(library.db, str(photos), reference=True)
    add_root(library.db, str(tmp_path / "alias" / "sub"))  # inside a root: merged, each photo once
    add_root(library.db, str(other))
    index_library(library, workers=1)
    assert count_photos(library.db) == 4  # X, Y, Z (once), Z copy
    [group] = find_groups(library, exact_only=True)
    assert len(group.photos) == 2
    copy = photo(library, other / "Z copy.jpg")
    resolution = resolve_group(library, group, keep_ids=[copy.id])
    assert resolution.trashed == [] and "reference folder" in resolution.skipped[0][1]
    assert (photos / "sub" / "Z.jpg").exists()


@pytest.fixture
def bind_mount(tmp_path: Path, photos: Path) -> Iterator[Path]:
    """``photos`` mounted a second time at ``mnt`` (same device and inodes, no symlink anywhere)."""
    if not is_root():
        pytest.skip("bind mounts need root")
    target = tmp_path / "mnt"
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(photos), str(target)], capture_output=True).returncode != 0:
        pytest.skip("this machine does not allow bind mounts")
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_a_bind_mount_of_a_root_is_refused_and_never_paired(library: Library, photos: Path, bind_mount: Path) -> None:
    add_root(library.db, str(photos))
    with pytest.raises(RootError, match="same folder"):
        add_root(library.db, str(bind_mount))
    save(scene(74), photos / "sub" / "W.jpg")
    # A folder of a root, mounted elsewhere (no symlink anywhere): inside that root, merged.
    [overlap] = check_root(library.db, str(bind_mount / "sub"))
    assert overlap.inside and overlap.root.path == str(photos)
    _register_root(library, bind_mount)
    index_library(library, [str(bind_mount)], workers=1)
    index_library(library, [str(photos)], workers=1)
    assert count_photos(library.db) == 6
    assert find_groups(library, exact_only=True) == []
    mounted, real = photo(library, bind_mount / "X.jpg"), photo(library, photos / "X.jpg")
    resolution = resolve_group(library, DuplicateGroup("exact", [mounted, real], mounted.id, "", 0))
    assert resolution.trashed == [] and (photos / "X.jpg").exists()


def test_an_older_catalog_learns_each_files_identity_when_migrated(tmp_path: Path, photos: Path) -> None:
    """A v4 catalog holding both paths of one file: after the upgrade, before any re-index, no pair."""
    path = tmp_path / "lib" / "catalog.db"
    path.parent.mkdir()
    old = Database(path, migrations=MIGRATIONS[:4])
    columns = [r[1] for r in old.query("PRAGMA table_info(photos)")]
    for where in (photos, tmp_path / "alias"):
        _v4_store(old, where / "X.jpg", columns)
    old.close()
    with Library.open(path.parent) as library:
        rows = library.db.query("SELECT dev, ino, real_path FROM photos ORDER BY id")
        assert rows[0][0] is not None and tuple(rows[0]) == tuple(rows[1])
        assert rows[0][2] == str(photos / "X.jpg")
        os.unlink(tmp_path / "alias")  # the link gone: the recorded identity still tells
        assert find_groups(library, exact_only=True) == []


def _v4_store(db: Database, path: Path, columns: list[str]) -> None:
    info = analyze_file(path)
    values = {"path": str(path), "folder": str(path.parent), "indexed_at": "2025-01-01T00:00:00", "status": "present",
              **{c: getattr(info, c) for c in ("size", "mtime_ns", "sha256", "format", "kind")}}  # fmt: skip
    assert set(values) <= set(columns)
    with db.transaction() as conn:
        conn.execute(
            f"INSERT INTO photos ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            tuple(values.values()),
        )


# --- point 2: a symlinked file beside its target -------------------------------------------


def test_a_symlinked_file_beside_its_target_is_one_photo(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "pics"
    save(scene(75), root / "b_real.jpg")
    (root / "a_link.jpg").symlink_to(root / "b_real.jpg")
    add_root(library.db, str(root))
    index_library(library, workers=1)
    assert count_photos(library.db) == 1 and get_photo_by_path(library.db, str(root / "b_real.jpg")) is not None
    assert find_groups(library, exact_only=True) == []


def test_a_link_kept_never_trashes_the_file_it_leads_to(library: Library, tmp_path: Path) -> None:
    """An older catalog holding the link and its target: keeping the link trashes nothing."""
    root = tmp_path / "pics"
    save(scene(76), root / "b_real.jpg")
    (root / "a_link.jpg").symlink_to(root / "b_real.jpg")
    add_root(library.db, str(root))
    root_id = library.db.scalar("SELECT id FROM roots")
    store_media(library.db, root_id, [analyze_file(root / "a_link.jpg"), analyze_file(root / "b_real.jpg")])
    assert find_groups(library, exact_only=True) == []
    link, real = photo(library, root / "a_link.jpg"), photo(library, root / "b_real.jpg")
    resolution = resolve_group(library, DuplicateGroup("exact", [link, real], link.id, "", 0))
    assert resolution.trashed == [] and (root / "b_real.jpg").is_file() and (root / "a_link.jpg").exists()


# --- point 3: a root holding a link to / ---------------------------------------------------


def test_a_link_to_the_whole_machine_is_not_followed(library: Library, tmp_path: Path) -> None:
    root = tmp_path / "pics"
    save(scene(77), root / "mine.jpg")
    (root / "everything").symlink_to("/", target_is_directory=True)
    add_root(library.db, str(root))
    stop = threading.Timer(20, lambda: cancel.set())  # walking the whole machine would never end here
    cancel = threading.Event()
    stop.start()
    try:
        stats = index_library(library, workers=1, cancel=cancel)
    finally:
        stop.cancel()
    assert not stats.cancelled and count_photos(library.db) == 1
    # the link is seen and is a problem: indexed + unchanged + problems = files_seen (#9)
    assert (stats.indexed, stats.problems, stats.files_seen) == (1, 1, 2)
    reasons = {Path(p.path).name: p.reason for p in list_problems(library.db)}
    assert "outside this root" in reasons["everything"] and "not followed" in reasons["everything"]
    assert find_groups(library, exact_only=True) == []


def test_links_out_of_the_root_other_libraries_and_system_folders_are_never_indexed(
    library: Library, tmp_path: Path
) -> None:
    root = tmp_path / "pics"
    save(scene(78), root / "mine.jpg")
    outside = tmp_path / "outside"
    save(scene(79), outside / "theirs.jpg")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    with Library.open(root / "old library") as other:  # another library's thumbnails are not photos
        save(scene(80), other.directory / "thumbnails" / "ab" / "cd.jpg")
    add_root(library.db, str(root))
    index_library(library, workers=1)
    assert [p.path for p in iter_photos(library.db)] == [str(root / "mine.jpg")]
    reasons = {Path(p.path).name: p.reason for p in list_problems(library.db)}
    assert "another Shoebox library" in reasons["old library"] and "not followed" in reasons["elsewhere"]
    for system in ("/proc", "/sys/kernel", "/dev"):
        with pytest.raises(RootError, match="system folder"):
            add_root(library.db, system)


# --- the re-check right before a copy moves -------------------------------------------------


@pytest.fixture
def exact_pair(index, tmp_path: Path) -> tuple[Library, DuplicateGroup, Path, Path]:
    root = tmp_path / "pics"
    save(scene(81), root / "keep.jpg", Shot(taken_at="2022:01:01 10:00:00"))
    (root / "copies").mkdir()
    shutil.copy2(root / "keep.jpg", root / "copies" / "copy.jpg")
    library = index(root)
    [group] = find_groups(library, exact_only=True)
    keeper = photo(library, root / "keep.jpg")
    group.keeper_id = keeper.id
    return library, group, root / "keep.jpg", root / "copies" / "copy.jpg"


def test_a_copy_whose_keeper_vanished_after_review_stays(exact_pair) -> None:
    library, group, keeper, copy = exact_pair
    os.unlink(keeper)
    original = copy.read_bytes()
    # The catalog still calls the keeper present (no re-index since): refresh keeps it in.
    resolution = resolve_group(library, group)
    assert resolution.trashed == [] and "is gone" in resolution.failed[0][1]
    assert copy.read_bytes() == original


def test_a_keeper_replaced_by_a_link_to_its_copy_keeps_the_copy(exact_pair) -> None:
    library, group, keeper, copy = exact_pair
    os.unlink(keeper)
    keeper.symlink_to(copy)
    resolution = resolve_group(library, group)
    reasons = [r for _p, r in resolution.skipped + resolution.failed]
    assert resolution.trashed == [] and ("same file" in reasons[0] or "one file" in reasons[0])
    assert copy.is_file() and not copy.is_symlink()


def test_a_keeper_whose_bytes_changed_keeps_the_copy(exact_pair) -> None:
    library, group, keeper, copy = exact_pair
    data = bytearray(keeper.read_bytes())
    data[-3] ^= 0xFF
    stat = keeper.stat()
    keeper.write_bytes(bytes(data))
    os.utime(keeper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    resolution = resolve_group(library, group)
    assert resolution.trashed == [] and "changed since it was reviewed" in resolution.failed[0][1]
    assert copy.exists()


def test_a_copy_changed_with_its_size_and_time_kept_is_not_trashed_as_identical(exact_pair) -> None:
    """The smaller point: same filesystem, size and mtime restored after an edit."""
    library, group, _keeper, copy = exact_pair
    data = bytearray(copy.read_bytes())
    data[-3] ^= 0xFF
    stat = copy.stat()
    copy.write_bytes(bytes(data))
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    resolution = resolve_group(library, group)
    assert resolution.trashed == [] and "its bytes differ" in resolution.failed[0][1]
    assert copy.read_bytes() == bytes(data)


def test_a_purge_refuses_a_copy_whose_keeper_is_gone(exact_pair) -> None:
    library, group, keeper, copy = exact_pair
    original = copy.read_bytes()
    resolution = resolve_group(library, group)
    assert len(resolution.trashed) == 1 and not copy.exists()
    os.unlink(keeper)
    result = purge(library, older_than=timedelta(0))
    assert result.purged == 0 and "which is gone" in result.failed[0][1]
    [entry] = list_trash(library)
    assert (library.trash_dir / entry.trash_name).read_bytes() == original
    shutil.copy2(library.trash_dir / entry.trash_name, keeper)  # the keeper back: the purge may go on
    assert purge(library, older_than=timedelta(0)).purged == 1
