"""Merging: the kept copy inherits what the trashed copies carried in the catalog.

Album memberships and tags (union), the rating (the highest), the favourite flag (any),
the caption (the keeper's, else the first other's), and the capture date, GPS position
and camera when the keeper lacks them. Each merge returns a :class:`MergeChange` saying
exactly what it changed, stored with the resolution so an undo puts the keeper back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from core.catalog.photos import now_iso
from core.duplicates.keeper import EXIF_DATE_SOURCES

#: Columns a merge may change on the keeper (the before/after values are recorded).
MERGED_COLUMNS = (
    "rating", "favourite", "caption", "taken_at", "taken_at_source", "gps_lat", "gps_lon", "gps_alt", "make",
    "model", "lens",
)  # fmt: skip


@dataclass(slots=True)
class MergeChange:
    keeper_id: int
    albums_added: list[int] = field(default_factory=list)
    tags_added: list[int] = field(default_factory=list)
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> MergeChange:
        return cls(**data)

    @property
    def empty(self) -> bool:
        return not (self.albums_added or self.tags_added or self.after)


def merge_into(conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> MergeChange:
    """Give ``keeper_id`` what the donors carry (inside the caller's transaction)."""
    change = MergeChange(keeper_id)
    donors = [d for d in donor_ids if d != keeper_id]
    if not donors:
        return change
    marks = ", ".join("?" for _ in donors)
    stamp = now_iso()
    for (album_id,) in conn.execute(
        f"SELECT DISTINCT album_id FROM album_photos WHERE photo_id IN ({marks}) "
        "AND album_id NOT IN (SELECT album_id FROM album_photos WHERE photo_id = ?)",
        (*donors, keeper_id),
    ).fetchall():
        conn.execute("INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (?, ?, ?)", (album_id, keeper_id, stamp))
        change.albums_added.append(album_id)
    for (tag_id,) in conn.execute(
        f"SELECT DISTINCT tag_id FROM photo_tags WHERE photo_id IN ({marks}) "
        "AND tag_id NOT IN (SELECT tag_id FROM photo_tags WHERE photo_id = ?)",
        (*donors, keeper_id),
    ).fetchall():
        conn.execute("INSERT INTO photo_tags (photo_id, tag_id) VALUES (?, ?)", (keeper_id, tag_id))
        change.tags_added.append(tag_id)
    columns = ", ".join(MERGED_COLUMNS)
    keeper = dict(zip(MERGED_COLUMNS, conn.execute(f"SELECT {columns} FROM photos WHERE id = ?", (keeper_id,)).fetchone(), strict=True))
    others = [
        dict(zip(MERGED_COLUMNS, row, strict=True))
        for row in conn.execute(f"SELECT {columns} FROM photos WHERE id IN ({marks}) ORDER BY id", donors).fetchall()
    ]
    updates = _merged_values(keeper, others)
    if updates:
        change.before = {k: keeper[k] for k in updates}
        change.after = updates
        assignments = ", ".join(f"{k} = ?" for k in updates)
        conn.execute(f"UPDATE photos SET {assignments} WHERE id = ?", (*updates.values(), keeper_id))
    return change


def _merged_values(keeper: dict[str, object], others: list[dict[str, object]]) -> dict[str, object]:
    updates: dict[str, object] = {}
    ratings = [r for r in [keeper["rating"], *(o["rating"] for o in others)] if r is not None]
    if ratings and max(ratings) != keeper["rating"]:  # type: ignore[type-var]
        updates["rating"] = max(ratings)  # type: ignore[type-var]
    if not keeper["favourite"] and any(o["favourite"] for o in others):
        updates["favourite"] = 1
    if not keeper["caption"]:
        caption = next((o["caption"] for o in others if o["caption"]), None)
        if caption:
            updates["caption"] = caption
    if keeper["taken_at_source"] not in EXIF_DATE_SOURCES:
        dated = next((o for o in others if o["taken_at"] and o["taken_at_source"] in EXIF_DATE_SOURCES), None)
        if dated is not None:
            updates.update(taken_at=dated["taken_at"], taken_at_source=dated["taken_at_source"])
    if keeper["gps_lat"] is None or keeper["gps_lon"] is None:
        located = next((o for o in others if o["gps_lat"] is not None and o["gps_lon"] is not None), None)
        if located is not None:
            updates.update(gps_lat=located["gps_lat"], gps_lon=located["gps_lon"], gps_alt=located["gps_alt"])
    if not (keeper["make"] or keeper["model"]):
        camera = next((o for o in others if o["make"] or o["model"]), None)
        if camera is not None:
            updates.update(make=camera["make"], model=camera["model"], lens=camera["lens"] or keeper["lens"])
    return updates


def revert_merge(conn: sqlite3.Connection, change: MergeChange) -> None:
    """Undo what :func:`merge_into` did to the keeper (values changed since are overwritten
    only where they still hold what the merge put there)."""
    for album_id in change.albums_added:
        conn.execute("DELETE FROM album_photos WHERE album_id = ? AND photo_id = ?", (album_id, change.keeper_id))
    for tag_id in change.tags_added:
        conn.execute("DELETE FROM photo_tags WHERE tag_id = ? AND photo_id = ?", (tag_id, change.keeper_id))
    for column, value in change.before.items():
        if column not in MERGED_COLUMNS:
            continue
        conn.execute(
            f"UPDATE photos SET {column} = ? WHERE id = ? AND {column} IS ?",
            (value, change.keeper_id, change.after.get(column)),
        )
