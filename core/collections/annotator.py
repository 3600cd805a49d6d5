"""Albums, tags and marks as an :class:`~core.annotations.base.Annotator`: the one place
that reads and writes them on behalf of listings, duplicate merges, moves, backups, XMP
sidecars and the trash."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from core.annotations.base import Annotator, Fields, Reader
from core.annotations.columns import keeper_and_donors, put_back, set_columns
from core.catalog.db import Database
from core.catalog.photos import now_iso
from core.collections.albums import add_to_album_named
from core.collections.annotations import annotations_of, carry_annotations
from core.collections.marks import set_caption, set_favourite, set_rating
from core.collections.tags import tag_photos

#: The marks' columns on ``photos`` a merge may change (the before/after values are recorded).
MARK_COLUMNS = ("rating", "favourite", "caption")

_ALBUMS = "SELECT ap.photo_id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id"
_TAGS = "SELECT pt.photo_id, t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id"
_MARKS = "SELECT id, rating, favourite, caption FROM photos WHERE (rating IS NOT NULL OR favourite != 0 OR caption IS NOT NULL)"
_FINGERPRINT = (
    "SELECT count(*), total(album_id * 31 + photo_id) FROM album_photos",
    "SELECT count(*), total(tag_id * 31 + photo_id) FROM photo_tags",
    "SELECT group_concat(name, '|') FROM (SELECT name FROM albums ORDER BY id)",
    "SELECT total(rating), total(favourite), total(length(caption)) FROM photos",
)


class CollectionsAnnotator(Annotator):
    """``albums``, ``tags``, ``rating``, ``favourite``, ``caption``."""

    name = "collections"
    compared = ("albums", "tags", "rating")

    def read(self, db: Database, photo_ids: Sequence[int]) -> dict[int, Fields]:
        return {photo_id: notes.to_json() for photo_id, notes in annotations_of(db, photo_ids).items()}

    def merge(self, conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> Fields | None:
        """Albums and tags joined, the highest rating, any favourite, the keeper's caption
        else the first donor's; the undo record lists what was added and changed."""
        donors = [d for d in donor_ids if d != keeper_id]
        if not donors:
            return None
        albums = _missing(conn, "album_photos", "album_id", keeper_id, donors)
        stamp = now_iso()
        conn.executemany(
            "INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (?, ?, ?)",
            [(album_id, keeper_id, stamp) for album_id in albums],
        )
        tags = _missing(conn, "photo_tags", "tag_id", keeper_id, donors)
        conn.executemany("INSERT INTO photo_tags (photo_id, tag_id) VALUES (?, ?)", [(keeper_id, t) for t in tags])
        before, after = _merge_marks(conn, keeper_id, donors)
        if not (albums or tags or after):
            return None
        return {"albums_added": albums, "tags_added": tags, "before": before, "after": after}

    def revert(self, conn: sqlite3.Connection, keeper_id: int, undo: Fields) -> None:
        """Values changed since the merge are left alone: a mark goes back only while it
        still holds what the merge put there."""
        for album_id in undo.get("albums_added", []):
            conn.execute("DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?", (album_id, keeper_id))
        for tag_id in undo.get("tags_added", []):
            conn.execute("DELETE FROM photo_tags WHERE tag_id = ? AND photo_id = ?", (tag_id, keeper_id))
        put_back(conn, keeper_id, MARK_COLUMNS, undo.get("before", {}), undo.get("after", {}))

    def carry(self, conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
        carry_annotations(conn, from_id, to_id)

    def labels(self, db: Reader, photo_ids: Sequence[int] | None = None) -> dict[int, Fields]:
        """``{"albums": [...], "tags": [...]}`` plus ``rating``, ``favourite``, ``caption`` when marked."""
        found: dict[int, Fields] = {}

        def entry(photo_id: int) -> Fields:
            return found.setdefault(photo_id, {"albums": [], "tags": []})

        for key, sql in (("albums", _ALBUMS), ("tags", _TAGS)):
            for photo_id, name in _rows(db, sql, "photo_id", photo_ids, order="ORDER BY 2"):
                entry(photo_id)[key].append(name)
        for photo_id, rating, favourite, caption in _rows(db, _MARKS, "id", photo_ids):
            entry(photo_id).update(rating=rating, favourite=bool(favourite), caption=caption)
        return found

    def no_labels(self) -> Fields:
        return {"albums": [], "tags": []}

    def apply_labels(self, db: Database, photo_id: int, record: Fields) -> None:
        for album in record.get("albums", []):
            add_to_album_named(db, album, [photo_id])
        if record.get("tags"):
            tag_photos(db, [photo_id], record["tags"])
        if record.get("rating") is not None:
            set_rating(db, [photo_id], record["rating"])
        if record.get("favourite"):
            set_favourite(db, [photo_id], True)
        if record.get("caption"):
            set_caption(db, [photo_id], record["caption"])

    def fingerprint(self, db: Database) -> str:
        parts = []
        for sql in _FINGERPRINT:
            try:
                parts.append(repr(tuple(db.query(sql)[0])))
            except sqlite3.OperationalError:  # a catalog without labels
                parts.append("-")
        return "\n".join(parts)

    def sidecar(self, fields: Fields) -> Fields:
        return {key: fields[key] for key in ("rating", "caption", "tags", "favourite", "albums")}


def _missing(conn: sqlite3.Connection, table: str, column: str, keeper_id: int, donors: list[int]) -> list[int]:
    """Ids of the albums (or tags) of the donors the keeper is not linked to."""
    marks = ", ".join("?" for _ in donors)
    return [row[0] for row in conn.execute(
        f"SELECT DISTINCT {column} FROM {table} WHERE photo_id IN ({marks}) "
        f"AND {column} NOT IN (SELECT {column} FROM {table} WHERE photo_id = ?)",
        (*donors, keeper_id),
    ).fetchall()]  # fmt: skip


def _merge_marks(conn: sqlite3.Connection, keeper_id: int, donors: list[int]) -> tuple[Fields, Fields]:
    """Set the keeper's merged marks; returns (before, after) of the columns that changed."""
    keeper, others = keeper_and_donors(conn, MARK_COLUMNS, keeper_id, donors)
    updates: Fields = {}
    ratings = [r for r in [keeper["rating"], *(o["rating"] for o in others)] if r is not None]
    if ratings and max(ratings) != keeper["rating"]:
        updates["rating"] = max(ratings)
    if not keeper["favourite"] and any(o["favourite"] for o in others):
        updates["favourite"] = 1
    if not keeper["caption"]:
        caption = next((o["caption"] for o in others if o["caption"]), None)
        if caption:
            updates["caption"] = caption
    if updates:
        set_columns(conn, keeper_id, updates)
    return {k: keeper[k] for k in updates}, updates


def _rows(db: Reader, sql: str, id_column: str, photo_ids: Sequence[int] | None, order: str = "") -> list:
    """Rows of ``sql`` for every photo (one query) or for ``photo_ids`` (one per 500 ids);
    none from a catalog without these tables or columns."""
    try:
        if photo_ids is None:
            return db.execute(f"{sql} {order}").fetchall()
        ids = list(dict.fromkeys(photo_ids))
        rows: list = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            where = "AND" if " WHERE " in sql else "WHERE"
            rows += db.execute(f"{sql} {where} {id_column} IN ({','.join('?' * len(chunk))}) {order}", chunk).fetchall()
        return rows
    except sqlite3.OperationalError:
        return []


COLLECTIONS = CollectionsAnnotator()
