"""Merging: the kept copy inherits what the trashed copies carried in the catalog.

What people attached to the copies (albums, tags, marks, faces: every registered
annotator, :mod:`core.annotations`) merges onto the keeper; so do the capture date, GPS
position and camera when the keeper lacks them. Each merge returns a :class:`MergeChange`
saying exactly what it changed, stored with the resolution so an undo puts the keeper back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from core.annotations.columns import keeper_and_donors, put_back, set_columns
from core.annotations.combined import merge_onto_keeper, revert_onto_keeper
from core.duplicates.keeper import EXIF_DATE_SOURCES

#: Columns of the photo's own metadata a merge may change on the keeper (before/after recorded).
MERGED_COLUMNS = ("taken_at", "taken_at_source", "gps_lat", "gps_lon", "gps_alt", "make", "model", "lens")

#: Records stored before annotators had their own keep what albums, tags and marks
#: changed at the top level; they are read as the ``collections`` annotator's record.
_OLD_ANNOTATION_KEYS = ("albums_added", "tags_added")
_OLD_MARK_COLUMNS = ("rating", "favourite", "caption")


@dataclass(slots=True)
class MergeChange:
    """What one merge changed on one keeper: its metadata columns (``before``/``after``) and,
    per annotator name, that annotator's undo record."""

    keeper_id: int
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)
    annotations: dict[str, dict] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> MergeChange:
        """A stored record, of this shape or the older one (albums, tags and marks at the top)."""
        if "annotations" in data:
            return cls(**data)
        before, after = data.get("before", {}), data.get("after", {})
        old = {key: data.get(key, []) for key in _OLD_ANNOTATION_KEYS}
        old["before"] = {k: v for k, v in before.items() if k in _OLD_MARK_COLUMNS}
        old["after"] = {k: v for k, v in after.items() if k in _OLD_MARK_COLUMNS}
        return cls(
            data["keeper_id"],
            {k: v for k, v in before.items() if k not in _OLD_MARK_COLUMNS},
            {k: v for k, v in after.items() if k not in _OLD_MARK_COLUMNS},
            {"collections": old} if any(old.values()) else {},
        )

    @property
    def empty(self) -> bool:
        return not (self.after or self.annotations)


def merge_into(conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> MergeChange:
    """Give ``keeper_id`` what the donors carry (inside the caller's transaction)."""
    change = MergeChange(keeper_id)
    donors = [d for d in donor_ids if d != keeper_id]
    if not donors:
        return change
    change.annotations = merge_onto_keeper(conn, keeper_id, donors)
    keeper, others = keeper_and_donors(conn, MERGED_COLUMNS, keeper_id, donors)
    updates = _merged_values(keeper, others)
    if updates:
        change.before = {k: keeper[k] for k in updates}
        change.after = updates
        set_columns(conn, keeper_id, updates)
    return change


def _merged_values(keeper: dict[str, object], others: list[dict[str, object]]) -> dict[str, object]:
    updates: dict[str, object] = {}
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
    revert_onto_keeper(conn, change.keeper_id, change.annotations)
    put_back(conn, change.keeper_id, MERGED_COLUMNS, change.before, change.after)
