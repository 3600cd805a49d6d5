"""Tags: free-form labels on photos."""

from __future__ import annotations

from collections.abc import Iterable

from core.catalog.db import Database
from core.collections.records import CollectionError, Tag


def tag_photos(db: Database, photo_ids: Iterable[int], names: Iterable[str]) -> int:
    """Add tags (created as needed) to photos; returns how many new photo-tag links."""
    ids = list(photo_ids)
    added = 0
    with db.transaction() as conn:
        for name in {_clean(n) for n in names}:
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
            tag_id = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
            for photo_id in ids:
                added += conn.execute(
                    "INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) VALUES (?, ?)", (photo_id, tag_id)
                ).rowcount
    return added


def untag_photos(db: Database, photo_ids: Iterable[int], names: Iterable[str]) -> int:
    ids = list(photo_ids)
    removed = 0
    with db.transaction() as conn:
        for name in names:
            for photo_id in ids:
                removed += conn.execute(
                    "DELETE FROM photo_tags WHERE photo_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                    (photo_id, _clean(name)),
                ).rowcount
    return removed


def set_tags_of(db: Database, photo_id: int, names: Iterable[str]) -> list[str]:
    """Make ``names`` exactly the photo's tags (new ones created, missing ones removed): one transaction."""
    wanted = list(dict.fromkeys(_clean(n) for n in names if n.strip()))
    with db.transaction() as conn:
        for name in wanted:
            conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
            conn.execute("INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) SELECT ?, id FROM tags WHERE name = ?",
                         (photo_id, name))  # fmt: skip
        marks = ",".join("?" * len(wanted))
        keep = f"AND tag_id NOT IN (SELECT id FROM tags WHERE name IN ({marks}))" if wanted else ""
        conn.execute(f"DELETE FROM photo_tags WHERE photo_id = ? {keep}", (photo_id, *wanted))
    return tags_of(db, photo_id)


def tags_of(db: Database, photo_id: int) -> list[str]:
    rows = db.query(
        "SELECT t.name FROM tags t JOIN photo_tags pt ON pt.tag_id = t.id WHERE pt.photo_id = ? ORDER BY t.name",
        (photo_id,),
    )
    return [row[0] for row in rows]


def list_tags(db: Database) -> list[Tag]:
    rows = db.query(
        "SELECT t.id, t.name, count(pt.photo_id) FROM tags t LEFT JOIN photo_tags pt ON pt.tag_id = t.id "
        "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
    )
    return [Tag(*row) for row in rows]


def photos_tagged(db: Database, name: str) -> list[int]:
    rows = db.query(
        "SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.name = ? ORDER BY pt.photo_id",
        (_clean(name),),
    )
    return [row[0] for row in rows]


def _clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CollectionError("a tag needs a name")
    return name
