"""Albums: named sets of photos (a photo may be in many)."""

from __future__ import annotations

from collections.abc import Iterable

from core.catalog.db import Database
from core.catalog.photos import now_iso
from core.collections.records import Album, CollectionError

_SELECT = (
    "SELECT a.id, a.name, a.created_at, count(ap.photo_id) FROM albums a "
    "LEFT JOIN album_photos ap ON ap.album_id = a.id"
)


def create_album(db: Database, name: str) -> Album:
    """A new album, or the existing one with that name."""
    name = _clean(name)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO albums (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (name, now_iso())
        )
    album = get_album(db, name)
    assert album is not None
    return album


def get_album(db: Database, name_or_id: str | int) -> Album | None:
    column = "a.id" if isinstance(name_or_id, int) else "a.name"
    rows = db.query(f"{_SELECT} WHERE {column} = ? GROUP BY a.id", (name_or_id,))
    return Album(*rows[0]) if rows else None


def list_albums(db: Database) -> list[Album]:
    return [Album(*row) for row in db.query(f"{_SELECT} GROUP BY a.id ORDER BY a.name COLLATE NOCASE")]


def delete_album(db: Database, album_id: int) -> None:
    """Remove an album (its photos stay in the library)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM albums WHERE id = ?", (album_id,))


def add_to_album(db: Database, album_id: int, photo_ids: Iterable[int]) -> int:
    """Add photos to an album; returns how many were not in it yet."""
    stamp = now_iso()
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM albums WHERE id = ?", (album_id,)).fetchone() is None:
            raise CollectionError(f"no album with id {album_id}")
        added = 0
        for photo_id in photo_ids:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO album_photos (album_id, photo_id, added_at) VALUES (?, ?, ?)",
                (album_id, photo_id, stamp),
            )
            added += cursor.rowcount
    return added


def set_albums_of(db: Database, photo_id: int, names: Iterable[str]) -> list[str]:
    """Make ``names`` exactly the albums holding the photo (albums created as needed, never deleted)."""
    wanted = list(dict.fromkeys(_clean(n) for n in names if n.strip()))
    stamp = now_iso()
    with db.transaction() as conn:
        for name in wanted:
            conn.execute(
                "INSERT INTO albums (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (name, stamp)
            )
            conn.execute("INSERT OR IGNORE INTO album_photos (album_id, photo_id, added_at) "
                         "SELECT id, ?, ? FROM albums WHERE name = ?", (photo_id, stamp, name))  # fmt: skip
        marks = ",".join("?" * len(wanted))
        keep = f"AND album_id NOT IN (SELECT id FROM albums WHERE name IN ({marks}))" if wanted else ""
        conn.execute(f"DELETE FROM album_photos WHERE photo_id = ? {keep}", (photo_id, *wanted))
    return [a.name for a in albums_of(db, photo_id)]


def remove_from_album(db: Database, album_id: int, photo_ids: Iterable[int]) -> int:
    with db.transaction() as conn:
        return sum(
            conn.execute("DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?", (album_id, pid)).rowcount
            for pid in photo_ids
        )


def album_photo_ids(db: Database, album_id: int) -> list[int]:
    """Ids of the album's photos, in the order they were added."""
    rows = db.query("SELECT photo_id FROM album_photos WHERE album_id = ? ORDER BY added_at, photo_id", (album_id,))
    return [row[0] for row in rows]


def albums_of(db: Database, photo_id: int) -> list[Album]:
    rows = db.query(
        f"{_SELECT} WHERE a.id IN (SELECT album_id FROM album_photos WHERE photo_id = ?) GROUP BY a.id ORDER BY a.name",
        (photo_id,),
    )
    return [Album(*row) for row in rows]


def _clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CollectionError("an album needs a name")
    return name


def photos_in_album_named(db: Database, name: str) -> list[int] | None:
    """Photo ids in the album called ``name`` (None when there is no such album)."""
    found = get_album(db, name)
    return None if found is None else album_photo_ids(db, found.id)


def add_to_album_named(db: Database, name: str, photo_ids: Iterable[int]) -> int:
    """Put photos in the album called ``name`` (created when missing); returns how many were added."""
    return add_to_album(db, create_album(db, name).id, photo_ids)
