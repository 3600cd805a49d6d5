"""What the review screen shows for each member of a group: metadata, root, annotations.

``describe_members`` gathers it in a few queries (no SQL in the UI); ``differing_fields``
says which fields differ between members, so a side-by-side view can highlight them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.annotations.combined import compared_fields as annotation_fields
from core.annotations.combined import read_annotations
from core.catalog.records import Photo
from core.duplicates.records import DuplicateGroup
from core.library import Library

#: The photo's own fields compared by :func:`differing_fields`, in display order; the
#: registered annotators' compared fields follow (:func:`compared_fields`).
COMPARED_FIELDS = ("size", "pixels", "format", "taken_at", "camera", "gps", "folder", "root")


def compared_fields() -> tuple[str, ...]:
    """Every field :func:`differing_fields` compares: the photo's, then the annotators' (albums, tags, rating, people…)."""
    return COMPARED_FIELDS + annotation_fields()


@dataclass(slots=True)
class MemberDetails:
    """One member of a group as the review screen shows it."""

    photo: Photo
    keeper: bool
    reason: str | None  # why it is in the group ("same picture, cropped to 92 %")
    root: str | None
    reference: bool
    #: What the annotators attached (``albums``, ``tags``, ``rating``, ``favourite``, ``people``…).
    annotations: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        """An annotation field read as an attribute: ``member.albums``, ``member.rating``, ``member.people``."""
        if name != "annotations":
            try:
                return self.annotations[name]
            except KeyError:
                pass
        raise AttributeError(name)

    def value(self, name: str) -> object:
        """The comparable value of one of :func:`compared_fields` (lists as tuples)."""
        p = self.photo
        width, height = p.upright_size
        own = {
            "size": p.size,
            "pixels": (width or 0) * (height or 0),
            "format": p.format,
            "taken_at": p.taken_at,
            "camera": p.camera,
            "gps": (p.gps_lat, p.gps_lon) if p.gps_lat is not None else None,
            "folder": p.folder,
            "root": self.root,
        }
        value = own[name] if name in own else self.annotations.get(name)
        return tuple(value) if isinstance(value, list) else value

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.photo.id, "path": self.photo.path, "keeper": self.keeper, "reason": self.reason,
            "root": self.root, "reference": self.reference, **self.annotations,
        }  # fmt: skip


def describe_members(library: Library, group: DuplicateGroup) -> list[MemberDetails]:
    """Details of every member, in the group's order (keeper first)."""
    db = library.db
    notes = read_annotations(db, group.photo_ids)
    roots = {r[0]: (r[1], bool(r[2])) for r in db.query("SELECT id, path, reference FROM roots")}
    details = []
    for photo in group.photos:
        root_path, reference = roots.get(photo.root_id, (None, False)) if photo.root_id is not None else (None, False)
        details.append(MemberDetails(
            photo, photo.id == group.keeper_id, None if photo.id == group.keeper_id else group.reason_for(photo.id),
            root_path, reference, notes.get(photo.id, {}),
        ))  # fmt: skip
    return details


def differing_fields(members: list[MemberDetails]) -> set[str]:
    """Which of :func:`compared_fields` do not hold the same value for every member."""
    return {name for name in compared_fields() if len({repr(m.value(name)) for m in members}) > 1}
