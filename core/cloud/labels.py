"""Albums and tags of photos, for the manifest and for a rebuild (empty when the catalog has none).

The album and tag tables come with catalog migration 2; until a catalog has them, or
when their shape is not the expected one, photos simply carry no labels.
"""

from __future__ import annotations

import sqlite3

from core.catalog.db import Database

_ALBUMS = ("SELECT ap.photo_id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id")
_TAGS = ("SELECT pt.photo_id, t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id")


def labels_by_photo(db: Database) -> dict[int, dict[str, list[str]]]:
    """``{photo_id: {"albums": [...], "tags": [...]}}`` for every labelled photo."""
    labels: dict[int, dict[str, list[str]]] = {}
    for field, sql in (("albums", _ALBUMS), ("tags", _TAGS)):
        try:
            rows = db.query(sql)
        except sqlite3.OperationalError:
            continue
        for photo_id, name in rows:
            labels.setdefault(photo_id, {"albums": [], "tags": []})[field].append(name)
    return labels


def album_photo_ids(db: Database, album: str) -> list[int] | None:
    """Photo ids in the album named ``album`` (None when the catalog has no such album)."""
    try:
        row = db.conn.execute("SELECT id FROM albums WHERE name = ?", (album,)).fetchone()
        if row is None:
            return None
        return [r[0] for r in db.query("SELECT photo_id FROM album_photos WHERE album_id = ?", (row[0],))]
    except sqlite3.OperationalError:
        return None


def add_to_album(db: Database, album: str, photo_ids: list[int]) -> bool:
    """Put photos in an album (created when missing); False when the catalog has no albums yet."""
    try:
        with db.transaction() as conn:
            row = conn.execute("SELECT id FROM albums WHERE name = ?", (album,)).fetchone()
            if row is None:
                columns = {r[1] for r in conn.execute("PRAGMA table_info(albums)")}
                if "created_at" in columns:
                    from core.catalog.photos import now_iso

                    conn.execute("INSERT INTO albums (name, created_at) VALUES (?, ?)", (album, now_iso()))
                else:
                    conn.execute("INSERT INTO albums (name) VALUES (?)", (album,))
                row = conn.execute("SELECT id FROM albums WHERE name = ?", (album,)).fetchone()
            conn.executemany(
                "INSERT OR IGNORE INTO album_photos (album_id, photo_id) VALUES (?, ?)",
                ((row[0], photo_id) for photo_id in photo_ids),
            )
        return True
    except sqlite3.OperationalError:
        return False


def add_tags(db: Database, photo_id: int, tags: list[str]) -> bool:
    """Tag a photo (tags created when missing); False when the catalog has no tags yet."""
    try:
        with db.transaction() as conn:
            for name in tags:
                conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (name,))
                tag_id = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
                conn.execute("INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) VALUES (?, ?)", (photo_id, tag_id))
        return True
    except sqlite3.OperationalError:
        return False
