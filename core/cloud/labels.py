"""Albums, tags and marks of photos, for the manifest and for a rebuild.

Writes go through :mod:`core.collections`; the one bulk read (every photo's labels at
once, for a manifest of a million photos) is a single query per kind here.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from core.catalog.db import Database
from core.collections import (
    add_to_album as _add_to_album,
    album_photo_ids as _album_photo_ids,
    create_album,
    get_album,
    set_caption,
    set_favourite,
    set_rating,
    tag_photos,
)

_ALBUMS = "SELECT ap.photo_id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id ORDER BY a.name"
_TAGS = "SELECT pt.photo_id, t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id ORDER BY t.name"
_MARKS = ("SELECT id, rating, favourite, caption FROM photos "
          "WHERE rating IS NOT NULL OR favourite != 0 OR caption IS NOT NULL")  # fmt: skip


def labels_by_photo(db: Database) -> dict[int, dict[str, Any]]:
    """``{photo_id: {"albums": [...], "tags": [...], "rating", "favourite", "caption"}}`` for labelled photos."""
    labels: dict[int, dict[str, Any]] = {}

    def entry(photo_id: int) -> dict[str, Any]:
        return labels.setdefault(photo_id, {"albums": [], "tags": []})

    for field, sql in (("albums", _ALBUMS), ("tags", _TAGS)):
        for photo_id, name in _rows(db, sql):
            entry(photo_id)[field].append(name)
    for photo_id, rating, favourite, caption in _rows(db, _MARKS):
        entry(photo_id).update(rating=rating, favourite=bool(favourite), caption=caption)
    return labels


def _rows(db: Database, sql: str) -> list[sqlite3.Row]:
    try:
        return db.query(sql)
    except sqlite3.OperationalError:  # a catalog without these tables or columns
        return []


def album_photo_ids(db: Database, album: str) -> list[int] | None:
    """Photo ids in the album named ``album`` (None when there is no such album)."""
    found = get_album(db, album)
    return None if found is None else _album_photo_ids(db, found.id)


def add_to_album(db: Database, album: str, photo_ids: list[int]) -> None:
    """Put photos in the album named ``album`` (created when missing)."""
    _add_to_album(db, create_album(db, album).id, photo_ids)


def apply_labels(db: Database, photo_id: int, record: dict[str, Any]) -> None:
    """Give a rebuilt photo the albums, tags and marks its manifest record lists."""
    for album in record.get("albums", []):
        add_to_album(db, album, [photo_id])
    if record.get("tags"):
        tag_photos(db, [photo_id], record["tags"])
    if record.get("rating") is not None:
        set_rating(db, [photo_id], record["rating"])
    if record.get("favourite"):
        set_favourite(db, [photo_id], True)
    if record.get("caption"):
        set_caption(db, [photo_id], record["caption"])
