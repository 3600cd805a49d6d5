"""Everything a person added to photos (albums, tags, marks), read for a batch of photos.

One query per table per batch of photos, never one per photo: a million-photo ``ls`` stays
a handful of queries per thousand rows (batches come from core/annotations/combined.py,
which merges these fields with the other annotators' for listings).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.db import Database


@dataclass(slots=True)
class Annotations:
    """Albums, tags and marks of one photo."""

    albums: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rating: int | None = None
    favourite: bool = False
    caption: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"albums": self.albums, "tags": self.tags, "rating": self.rating, "favourite": self.favourite,
                "caption": self.caption}  # fmt: skip


def annotations_of(db: Database, photo_ids: Iterable[int]) -> dict[int, Annotations]:
    """Annotations of the given photos (every id gets an entry, empty when nothing was added)."""
    ids = list(dict.fromkeys(photo_ids))
    found: dict[int, Annotations] = {photo_id: Annotations() for photo_id in ids}
    if not ids:
        return found
    marks = ",".join("?" * len(ids))
    for photo_id, rating, favourite, caption in db.query(
        f"SELECT id, rating, favourite, caption FROM photos WHERE id IN ({marks})", ids
    ):
        entry = found[photo_id]
        entry.rating, entry.favourite, entry.caption = rating, bool(favourite), caption
    for photo_id, name in db.query(
        f"SELECT ap.photo_id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id "
        f"WHERE ap.photo_id IN ({marks}) ORDER BY a.name COLLATE NOCASE",
        ids,
    ):
        found[photo_id].albums.append(name)
    for photo_id, name in db.query(
        f"SELECT pt.photo_id, t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id "
        f"WHERE pt.photo_id IN ({marks}) ORDER BY t.name COLLATE NOCASE",
        ids,
    ):
        found[photo_id].tags.append(name)
    return found


def carry_annotations(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    """Give ``to_id`` what the user gave ``from_id`` (albums, tags, rating, favourite, caption).

    Runs inside the caller's transaction: a photo row about to be merged into another
    (a move seen in two halves) loses nothing the user put on it.
    """
    conn.execute("INSERT OR IGNORE INTO album_photos (album_id, photo_id, added_at) "
                 "SELECT album_id, ?, added_at FROM album_photos WHERE photo_id = ?", (to_id, from_id))  # fmt: skip
    conn.execute("INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) SELECT ?, tag_id FROM photo_tags WHERE photo_id = ?",
                 (to_id, from_id))  # fmt: skip
    conn.execute(
        "UPDATE photos SET rating = COALESCE(rating, (SELECT rating FROM photos WHERE id = ?)), "
        "caption = COALESCE(caption, (SELECT caption FROM photos WHERE id = ?)), "
        "favourite = MAX(favourite, (SELECT favourite FROM photos WHERE id = ?)) WHERE id = ?",
        (from_id, from_id, from_id, to_id),
    )
