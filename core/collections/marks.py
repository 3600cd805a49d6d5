"""Marks a person puts on one photo: a rating (0–5), a favourite flag, a caption."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.catalog.db import Database
from core.collections.records import CollectionError


@dataclass(frozen=True, slots=True)
class Marks:
    rating: int | None
    favourite: bool
    caption: str | None


def get_marks(db: Database, photo_id: int) -> Marks | None:
    row = db.conn.execute("SELECT rating, favourite, caption FROM photos WHERE id = ?", (photo_id,)).fetchone()
    return Marks(row[0], bool(row[1]), row[2]) if row else None


def set_rating(db: Database, photo_ids: Iterable[int], rating: int | None) -> None:
    """Set (or with None clear) the rating of photos; 0–5 stars."""
    if rating is not None and not 0 <= int(rating) <= 5:
        raise CollectionError(f"a rating is 0 to 5 stars, not {rating}")
    _set(db, "rating", photo_ids, rating)


def set_favourite(db: Database, photo_ids: Iterable[int], favourite: bool = True) -> None:
    _set(db, "favourite", photo_ids, int(bool(favourite)))


def set_caption(db: Database, photo_ids: Iterable[int], caption: str | None) -> None:
    _set(db, "caption", photo_ids, (caption or "").strip() or None)


def _set(db: Database, column: str, photo_ids: Iterable[int], value: object) -> None:
    with db.transaction() as conn:
        for photo_id in photo_ids:
            conn.execute(f"UPDATE photos SET {column} = ? WHERE id = ?", (value, photo_id))
