"""Indexing real files: incremental, resumable, and never losing a photo to bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.catalog.photos import count_photos, get_photo_by_path, iter_photos, list_problems
from core.catalog.roots import add_root
from core.demo.pictures import Shot, write_photo
from core.indexing.indexer import index_library
from core.indexing.workers import Job, read_one
from core.library import Library
from tests.conftest import is_root


def _photos(folder: Path, count: int, start: int = 0) -> list[Path]:
    return [
        write_photo(folder / f"IMG_{i:04d}.jpg", 320, 240, i, Shot(taken_at=f"2020:01:{1 + i % 28:02d} 10:00:00"))
        for i in range(start, start + count)
    ]


def _index(library: Library, *roots: Path, workers: int = 1):
    for root in roots:
        add_root(library.db, str(root))
    return index_library(library, workers=workers)


def _problem_reasons(library: Library) -> dict[str, str]:
    return {os.path.basename(p.path): p.reason for p in list_problems(library.db)}


def test_second_run_over_unchanged_files_reads_nothing(library: Library, tmp_path: Path) -> None:
    _photos(tmp_path / "pics", 12)
    first = _index(library, tmp_path / "pics", workers=2)
    assert (first.indexed, first.stored, first.problems) == (12, 12, 0)
    second = index_library(library, workers=2)
    assert (second.indexed, second.unchanged, second.missing) == (0, 12, 0)
    assert count_photos(library.db) == 12


def test_changed_new_and_deleted_files_are_noticed(library: Library, tmp_path: Path) -> None:
    pics = _photos(tmp_path / "pics", 5)
    _index(library, tmp_path / "pics")
    first_id = get_photo_by_path(library.db, str(pics[0])).id
    write_photo(pics[0], 300, 200, 99)  # rewritten in place
    os.utime(pics[0], ns=(1, 10**18))
    pics[1].unlink()
    _photos(tmp_path / "pics", 1, start=50)
    stats = index_library(library)
    assert (stats.indexed, stats.missing, stats.unchanged) == (2, 1, 3)
    changed = get_photo_by_path(library.db, str(pics[0]))
    assert changed.id == first_id and changed.width == 300
    assert get_photo_by_path(library.db, str(pics[1])).status == "missing"
    assert count_photos(library.db) == 5


def test_an_unplugged_root_keeps_its_photos(library: Library, tmp_path: Path) -> None:
    _photos(tmp_path / "nas", 3)
    _index(library, tmp_path / "nas")
    (tmp_path / "nas").rename(tmp_path / "unplugged")
    stats = index_library(library)
    assert stats.missing == 0 and count_photos(library.db) == 3
    assert "is the drive mounted?" in _problem_reasons(library)["nas"]
    (tmp_path / "unplugged").rename(tmp_path / "nas")
    again = index_library(library)
    assert again.indexed == 0 and "nas" not in _problem_reasons(library)


def test_bad_files_are_problems_and_indexing_goes_on(library: Library, tmp_path: Path) -> None:
    pics = tmp_path / "pics"
    _photos(pics, 2)
    (pics / "zero.jpg").write_bytes(b"")
    (pics / "notes.jpg").write_text("shopping list\n" * 20)
    good = (pics / "IMG_0000.jpg").read_bytes()
    (pics / "cut.jpg").write_bytes(good[: len(good) // 3])
    (pics / "random.heic").write_bytes(os.urandom(5000))
    (pics / "readme.txt").write_text("not media, not a problem either")
    stats = _index(library, pics)
    reasons = _problem_reasons(library)
    assert set(reasons) == {"zero.jpg", "notes.jpg", "cut.jpg", "random.heic"}
    assert "empty" in reasons["zero.jpg"]
    assert "truncated" in reasons["cut.jpg"]
    assert count_photos(library.db) == 3  # the two good ones and the truncated one's metadata
    assert stats.problems == 4
    assert index_library(library).indexed == 0  # unchanged bad files are not re-read either


def test_symlink_loops_and_nested_links_are_walked_once(library: Library, tmp_path: Path) -> None:
    pics = tmp_path / "pics"
    _photos(pics / "a", 2)
    (pics / "a" / "loop").symlink_to(pics, target_is_directory=True)
    (pics / "self").symlink_to(pics / "self")
    (pics / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    _index(library, pics)
    assert count_photos(library.db) == 2
    reasons = _problem_reasons(library)
    assert "symlink loop" in reasons["loop"]
    assert "broken link" in reasons["dangling.jpg"]


def test_non_utf8_file_names_are_indexed_exactly(library: Library, tmp_path: Path) -> None:
    pics = tmp_path / "pics"
    [source] = _photos(pics, 1)
    odd = os.fsdecode(os.fsencode(str(pics)) + b"/caf\xe9-\xff.jpg")
    os.rename(source, odd)
    _index(library, pics)
    [photo] = list(iter_photos(library.db))
    assert photo.path.endswith("caf\\xe9-\\xff.jpg")
    assert photo.fs_path == odd and os.path.exists(photo.fs_path)
    assert index_library(library).indexed == 0


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_an_unreadable_folder_keeps_its_catalogued_photos(library: Library, tmp_path: Path) -> None:
    if is_root():
        pytest.skip("root reads every folder; covered by the CLI test that drops privileges")
    pics = tmp_path / "pics"
    _photos(pics / "private", 2)
    _index(library, pics)
    (pics / "private").chmod(0)
    try:
        stats = index_library(library)
    finally:
        (pics / "private").chmod(0o755)
    assert stats.missing == 0 and count_photos(library.db) == 2
    assert "permission denied" in _problem_reasons(library)["private"]


def test_a_file_that_vanishes_before_it_is_read_is_reported(tmp_path: Path) -> None:
    result = read_one(Job(str(tmp_path / "gone.jpg"), None, 10, 1), None)
    assert result.info is None and "disappeared" in result.reason


def test_nested_roots_do_not_index_a_file_twice(library: Library, tmp_path: Path) -> None:
    _photos(tmp_path / "all" / "2020", 2)
    _photos(tmp_path / "all", 1, start=10)
    _index(library, tmp_path / "all", tmp_path / "all" / "2020")
    assert count_photos(library.db) == 3
    again = index_library(library)
    assert (again.indexed, again.missing) == (0, 0)


def test_the_library_directory_inside_a_root_is_not_indexed(tmp_path: Path) -> None:
    root = tmp_path / "pics"
    _photos(root, 2)
    with Library.open(root / "MyLibrary") as library:
        _index(library, root)
        library.thumbnails.path_for("0" * 64)  # thumbnails live inside and must not be indexed
        assert count_photos(library.db) == 2
        assert index_library(library).indexed == 0


def test_cancelling_stops_early_and_a_rerun_finishes(library: Library, tmp_path: Path) -> None:
    import threading

    _photos(tmp_path / "pics", 20)
    add_root(library.db, str(tmp_path / "pics"))
    cancel = threading.Event()
    seen = []

    def progress(p):  # progress is rate-limited; the first indexing report is forced
        seen.append(p)
        if p.phase == "indexing":
            cancel.set()

    stats = index_library(library, workers=1, progress=progress, cancel=cancel)
    assert stats.cancelled and stats.indexed < 20
    assert count_photos(library.db) == stats.indexed
    rest = index_library(library, workers=1)
    assert rest.indexed == 20 - stats.indexed and count_photos(library.db) == 20


def test_progress_reports_scan_then_index_then_done(library: Library, tmp_path: Path) -> None:
    _photos(tmp_path / "pics", 10)
    add_root(library.db, str(tmp_path / "pics"))
    phases = []
    index_library(library, workers=2, progress=lambda p: phases.append((p.phase, p.files_done, p.files_total)))
    assert phases[-1] == ("done", 10, 10)
    assert [p for p, *_ in phases if p == "indexing"]
