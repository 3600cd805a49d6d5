"""The watcher follows the indexer's rules: no second path of a file through a link."""

from __future__ import annotations

from pathlib import Path

from core.catalog.photos import count_photos, iter_photos
from core.catalog.roots import add_root
from core.demo.pictures import Shot, write_photo
from core.indexing.indexer import index_library
from core.library import Library
from core.watch.changes import apply_changes


def _photo(path: Path, seed: int) -> Path:
    return write_photo(path, 320, 240, seed, Shot(taken_at="2022:05:01 09:00:00"))


def test_events_through_links_add_no_second_path(library: Library, tmp_path: Path) -> None:
    root, outside = tmp_path / "pics", tmp_path / "outside"
    real = _photo(root / "trip" / "a.jpg", 1)
    _photo(outside / "b.jpg", 2)
    (root / "again").symlink_to(root / "trip", target_is_directory=True)  # a folder link inside the root
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)  # and one leading out of it
    (root / "trip" / "a_link.jpg").symlink_to(real)
    add_root(library.db, str(root))
    index_library(library, workers=1)
    assert [p.path for p in iter_photos(library.db)] == [str(real)]
    # What an inotify watcher that follows links may report: files and folders through them.
    changed = [str(root / "again" / "a.jpg"), str(root / "again"), str(root / "elsewhere" / "b.jpg"),
               str(root / "elsewhere"), str(root / "trip" / "a_link.jpg")]  # fmt: skip
    stats = apply_changes(library, changed, [])
    assert stats.indexed == 0 and count_photos(library.db) == 1
    fresh = _photo(root / "trip" / "c.jpg", 3)  # an ordinary new file is still indexed
    assert apply_changes(library, [str(fresh), str(root / "trip")], []).indexed == 1
