"""Records for faces and persons (see catalog migration 9, ``SCHEMA_PEOPLE``)."""

from __future__ import annotations

from dataclasses import dataclass


class PeopleError(Exception):
    """A people operation that cannot be done; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Box:
    """A face's box in upright (EXIF orientation applied) original-pixel coordinates."""

    x: int
    y: int
    w: int
    h: int

    def to_json(self) -> dict[str, int]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h}


#: A region another tool drew and a face overlapping this much (intersection over union) are
#: one face (their boxes are often larger than the detector's).
MATCH_IOU = 0.3


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when apart, 1 when equal)."""
    width = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    height = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a.w * a.h + b.w * b.h - inter)


@dataclass(frozen=True, slots=True)
class FaceRecord:
    """One face in one photo, and the person it belongs to (if any)."""

    id: int
    photo_id: int
    path: str
    box: Box
    person_id: int | None
    person: str | None  # the person's name, None while unnamed or unassigned
    source: str  # 'auto' (clustering) or 'manual' (a user's decision)
    distance: float | None = None  # distance to its person when assigned; larger = less sure

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "photo_id": self.photo_id, "path": self.path, "box": self.box.to_json(),
            "person_id": self.person_id, "person": self.person, "source": self.source,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """A person (named, or an unnamed cluster) with how many faces and photos it has."""

    id: int
    name: str | None
    faces: int
    photos: int
    hidden: bool
    avatar_face_id: int | None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "name": self.name, "faces": self.faces, "photos": self.photos,
            "hidden": self.hidden, "avatar_face_id": self.avatar_face_id,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Suggestion:
    """ "Is this face ``person``?" — one item of the review queue."""

    face: FaceRecord
    person: PersonSummary
    distance: float  # smaller = surer; the queue shows the least sure first


class UnknownPeopleId(PeopleError):
    """No face or person has the id given (the CLI exits 1 on it; on other PeopleErrors, 2)."""
