"""A catalog written before albums, tags and the trash existed (schema v1) upgrades keeping its rows."""

from __future__ import annotations

from pathlib import Path

from core.catalog.db import Database
from core.catalog.migrations import MIGRATIONS
from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root
from core.collections import add_to_album, create_album, get_marks, tag_photos, tags_of
from core.media.records import MediaInfo

V1_COLUMNS = ("size", "mtime_ns", "sha256", "format", "kind", "taken_at", "taken_at_source", "phash")


def insert_v1_photos(db: Database, root_id: int, infos: list[MediaInfo]) -> None:
    """Photo rows as a version-1 Shoebox wrote them (today's writer knows newer columns)."""
    columns = ", ".join(V1_COLUMNS)
    with db.transaction() as conn:
        for info in infos:
            conn.execute(
                f"INSERT INTO photos (root_id, path, folder, indexed_at, {columns}) VALUES (?, ?, ?, '2020-01-01T00:00:00', "
                f"{', '.join('?' for _ in V1_COLUMNS)})",
                (root_id, info.path, str(Path(info.path).parent), *(getattr(info, c) for c in V1_COLUMNS)),
            )


def test_v1_catalog_migrates_to_v2_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "catalog.db"
    old = Database(path, migrations=MIGRATIONS[:1])
    root = add_root(old, str(tmp_path / "photos"), reference=True)
    insert_v1_photos(old, root.id, [
        MediaInfo(path=str(tmp_path / "photos/a.jpg"), size=10, mtime_ns=1, sha256="aa", format="jpeg", kind="photo",
                  taken_at="2008-10-22T16:28:39", taken_at_source="exif", phash="8f0f0f0f0f0f0f0f"),
        MediaInfo(path=str(tmp_path / "photos/b.png"), size=20, mtime_ns=2, sha256="bb", format="png", kind="photo"),
    ])  # fmt: skip
    assert old.scalar("PRAGMA user_version") == 1
    old.close()

    db = Database(path)
    assert db.scalar("PRAGMA user_version") == MIGRATIONS[-1].version
    assert [r[0] for r in db.query("SELECT version FROM schema_migrations ORDER BY version")] == [
        m.version for m in MIGRATIONS
    ]
    assert (tmp_path / "catalog.db.v1.bak").exists()
    photo = get_photo_by_path(db, str(tmp_path / "photos/a.jpg"))
    assert photo is not None and photo.taken_at == "2008-10-22T16:28:39" and photo.phash == "8f0f0f0f0f0f0f0f"
    assert db.scalar("SELECT count(*) FROM photos") == 2
    assert db.scalar("SELECT reference FROM roots") == 1
    assert get_marks(db, photo.id).rating is None and not get_marks(db, photo.id).favourite  # type: ignore[union-attr]
    album = create_album(db, "Old photos")
    add_to_album(db, album.id, [photo.id])
    tag_photos(db, [photo.id], ["scanned"])
    assert tags_of(db, photo.id) == ["scanned"]
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"albums", "album_photos", "tags", "photo_tags", "trash", "duplicate_decisions", "resolutions"} <= tables
    assert db.scalar("PRAGMA foreign_key_check") is None
    db.close()
