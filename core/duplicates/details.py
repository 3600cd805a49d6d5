"""What the review screen shows for each member of a group: metadata, albums, tags, root.

``describe_members`` gathers it in a few queries (no SQL in the UI); ``differing_fields``
says which fields differ between members, so a side-by-side view can highlight them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.catalog.records import Photo
from core.duplicates.records import DuplicateGroup
from core.library import Library

#: Fields compared by :func:`differing_fields`, in display order.
COMPARED_FIELDS = ("size", "pixels", "format", "taken_at", "camera", "gps", "folder", "root", "albums", "tags", "rating")


@dataclass(slots=True)
class MemberDetails:
    """One member of a group as the review screen shows it."""

    photo: Photo
    keeper: bool
    reason: str | None  # why it is in the group ("same picture, cropped to 92 %")
    root: str | None
    reference: bool
    albums: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    rating: int | None = None
    favourite: bool = False

    def value(self, name: str) -> object:
        """The comparable value of one of COMPARED_FIELDS."""
        p = self.photo
        width, height = p.upright_size
        return {
            "size": p.size,
            "pixels": (width or 0) * (height or 0),
            "format": p.format,
            "taken_at": p.taken_at,
            "camera": p.camera,
            "gps": (p.gps_lat, p.gps_lon) if p.gps_lat is not None else None,
            "folder": p.folder,
            "root": self.root,
            "albums": tuple(self.albums),
            "tags": tuple(self.tags),
            "rating": self.rating,
        }[name]

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.photo.id, "path": self.photo.path, "keeper": self.keeper, "reason": self.reason,
            "root": self.root, "reference": self.reference, "albums": self.albums, "tags": self.tags,
            "rating": self.rating, "favourite": self.favourite,
        }  # fmt: skip


def describe_members(library: Library, group: DuplicateGroup) -> list[MemberDetails]:
    """Details of every member, in the group's order (keeper first)."""
    ids = group.photo_ids
    marks = ", ".join("?" for _ in ids)
    db = library.db
    albums: dict[int, list[str]] = {i: [] for i in ids}
    for photo_id, name in db.query(
        f"SELECT ap.photo_id, a.name FROM album_photos ap JOIN albums a ON a.id = ap.album_id "
        f"WHERE ap.photo_id IN ({marks}) ORDER BY a.name",
        tuple(ids),
    ):
        albums[photo_id].append(name)
    tags: dict[int, list[str]] = {i: [] for i in ids}
    for photo_id, name in db.query(
        f"SELECT pt.photo_id, t.name FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id "
        f"WHERE pt.photo_id IN ({marks}) ORDER BY t.name",
        tuple(ids),
    ):
        tags[photo_id].append(name)
    marks_by_id = {r[0]: (r[1], bool(r[2])) for r in db.query(f"SELECT id, rating, favourite FROM photos WHERE id IN ({marks})", tuple(ids))}
    roots = {r[0]: (r[1], bool(r[2])) for r in db.query("SELECT id, path, reference FROM roots")}
    details = []
    for photo in group.photos:
        root_path, reference = roots.get(photo.root_id, (None, False)) if photo.root_id is not None else (None, False)
        rating, favourite = marks_by_id.get(photo.id, (None, False))
        details.append(MemberDetails(
            photo, photo.id == group.keeper_id, None if photo.id == group.keeper_id else group.reason_for(photo.id),
            root_path, reference, albums[photo.id], tags[photo.id], rating, favourite,
        ))  # fmt: skip
    return details


def differing_fields(members: list[MemberDetails]) -> set[str]:
    """Which of COMPARED_FIELDS do not hold the same value for every member."""
    return {name for name in COMPARED_FIELDS if len({repr(m.value(name)) for m in members}) > 1}
