"""The trash: files move aside and come back byte-identical; only purge deletes."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.catalog.photos import get_photo
from core.config import set_value
from core.library import Library
from core.trash import TrashError, list_trash, parse_duration, purge, restore, restore_all, trash_photos
from core.trash.files import sha256_of
from tests.conftest import is_root
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    for i in range(3):
        save(scene(30 + i, 320, 240), root / "album" / f"IMG_{i}.jpg")
    return root


def snapshot(path: Path) -> tuple[str, int]:
    return sha256_of(path), path.stat().st_mtime_ns


def test_trash_and_restore_round_trip(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    before = snapshot(target)
    item = photo(library, target)
    outcome = trash_photos(library, [item.id])
    assert outcome.failed == [] and not target.exists()
    [entry] = list_trash(library)
    assert entry.original_path == str(target) and entry.sha256 == before[0]
    assert (library.trash_dir / entry.trash_name).exists()
    assert get_photo(library.db, item.id).status == "trashed"  # type: ignore[union-attr]
    restored = restore(library, entry.id)
    assert restored.path == str(target) and not restored.renamed and restored.photo_id == item.id
    assert snapshot(target) == before  # same bytes, same mtime
    assert get_photo(library.db, item.id).status == "present"  # type: ignore[union-attr]
    assert list_trash(library) == [] and not any(library.trash_dir.iterdir())


def test_copy_mode_verifies_and_keeps_bytes(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_1.jpg"
    before = snapshot(target)
    [entry] = trash_photos(library, [photo(library, target).id], copy=True).trashed
    assert not target.exists()
    restore(library, entry.id, copy=True)
    assert snapshot(target) == before


@pytest.mark.skipif(not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == os.stat(tempfile.gettempdir()).st_dev,
                    reason="needs /dev/shm on another filesystem than the temp dir")  # fmt: skip
def test_across_filesystems(folder: Path) -> None:
    library_dir = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        from core.catalog.roots import add_root
        from core.indexing.indexer import index_library

        with Library.open(library_dir) as library:
            add_root(library.db, str(folder))
            index_library(library, workers=1)
            target = folder / "album/IMG_2.jpg"
            before = snapshot(target)
            [entry] = trash_photos(library, [photo(library, target).id]).trashed
            assert not target.exists() and (library.trash_dir / entry.trash_name).exists()
            restore(library, entry.id)
            assert snapshot(target) == before
    finally:
        shutil.rmtree(library_dir)


def test_restore_never_clobbers_and_recreates_folders(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    original = target.read_bytes()
    [entry] = trash_photos(library, [photo(library, target).id]).trashed
    target.write_bytes(b"something else now")
    restored = restore(library, entry.id)
    assert restored.renamed and restored.path == str(folder / "album/IMG_0 (restored).jpg")
    assert target.read_bytes() == b"something else now"
    assert Path(restored.path).read_bytes() == original
    assert get_photo(library.db, restored.photo_id).path == restored.path  # type: ignore[union-attr]

    other = folder / "album/IMG_1.jpg"
    [entry] = trash_photos(library, [photo(library, other).id]).trashed
    shutil.rmtree(folder / "album")
    assert restore(library, entry.id).path == str(other) and other.exists()


def test_restore_after_the_path_was_reused_makes_a_new_row(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    item = photo(library, target)
    [entry] = trash_photos(library, [item.id]).trashed
    save(scene(99, 320, 240), target)  # a new photo at the old name, indexed into the old row
    index(folder)
    assert get_photo(library.db, item.id).status == "present"  # type: ignore[union-attr]
    restored = restore(library, entry.id)
    assert restored.renamed and restored.photo_id != item.id
    back = get_photo(library.db, restored.photo_id)
    assert back is not None and back.sha256 == entry.sha256 and back.status == "present"


def test_a_file_changed_since_indexing_is_not_trashed(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    item = photo(library, target)
    with open(target, "ab") as handle:
        handle.write(b"edited")
    outcome = trash_photos(library, [item.id])
    assert outcome.trashed == [] and "changed since it was indexed" in outcome.failed[0][1]
    assert target.exists() and list_trash(library) == []


@pytest.mark.skipif(is_root(), reason="root ignores permissions")
def test_permission_denied_leaves_the_file_in_place(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    (folder / "album").chmod(0o555)
    try:
        outcome = trash_photos(library, [photo(library, target).id])
    finally:
        (folder / "album").chmod(0o755)
    assert outcome.trashed == [] and "ermission" in outcome.failed[0][1]
    assert target.exists() and list_trash(library) == []
    assert photo(library, target).status == "present"


def test_a_vanished_source_is_reported(index, folder: Path) -> None:
    library = index(folder)
    target = folder / "album/IMG_0.jpg"
    item = photo(library, target)
    target.unlink()
    outcome = trash_photos(library, [item.id])
    assert outcome.trashed == [] and outcome.failed
    assert list_trash(library) == []


def test_restore_errors(index, folder: Path) -> None:
    library = index(folder)
    with pytest.raises(TrashError, match="nothing in the trash"):
        restore(library, 12345)
    [entry] = trash_photos(library, [photo(library, folder / "album/IMG_0.jpg").id]).trashed
    (library.trash_dir / entry.trash_name).unlink()  # someone emptied the trash by hand
    with pytest.raises(TrashError, match="has no file"):
        restore(library, entry.id)
    restored, failed = restore_all(library)
    assert restored == [] and failed[0][0] == entry.id


def test_purge_deletes_only_old_enough_items(index, folder: Path) -> None:
    library = index(folder)
    ids = [photo(library, folder / f"album/IMG_{i}.jpg").id for i in range(3)]
    entries = trash_photos(library, ids).trashed
    with library.db.transaction() as conn:  # the first was trashed 40 days ago
        conn.execute("UPDATE trash SET trashed_at = ? WHERE id = ?",
                     ((datetime.now() - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%S"), entries[0].id))  # fmt: skip
    result = purge(library)  # default retention: 30 days
    assert result.purged == 1 and result.freed == entries[0].size
    assert not (library.trash_dir / entries[0].trash_name).exists()
    assert get_photo(library.db, ids[0]) is None
    assert [e.id for e in list_trash(library)] == [e.id for e in entries[1:]]
    set_value(library.directory, "trash", "retention_days", 0)
    assert purge(library).purged == 2
    assert list_trash(library) == [] and not any(library.trash_dir.iterdir())


def test_purge_older_than_a_duration(index, folder: Path) -> None:
    library = index(folder)
    trash_photos(library, [photo(library, folder / "album/IMG_0.jpg").id])
    assert purge(library, timedelta(days=1)).purged == 0
    assert purge(library, timedelta(days=1), now=datetime.now() + timedelta(days=2)).purged == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("30d", timedelta(days=30)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2)), ("0", timedelta(0)),
    ("90m", timedelta(minutes=90)), ("1.5d", timedelta(days=1.5)),
])  # fmt: skip
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "thirty days", "-3d", "5y"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_an_unusable_trash_folder_leaves_files_in_place(index, folder: Path) -> None:
    library = index(folder)
    library.trash_dir.parent.mkdir(parents=True, exist_ok=True)
    library.trash_dir.write_text("not a folder")  # works even as root, unlike permissions
    target = folder / "album/IMG_0.jpg"
    outcome = trash_photos(library, [photo(library, target).id], copy=True)
    assert outcome.trashed == [] and outcome.failed
    assert target.exists() and photo(library, target).status == "present"
    assert library.db.scalar("SELECT count(*) FROM trash") == 0
