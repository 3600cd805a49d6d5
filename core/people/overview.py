"""What the people pane shows at once: the persons, the face each is shown by, and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.catalog.db import Database
from core.people.records import FaceRecord, PersonSummary
from core.people.review import count_suggestions
from core.people.store import faces_by_id, list_persons


@dataclass(frozen=True, slots=True)
class PeopleOverview:
    """Persons (named first, then unnamed by size), each one's avatar face, and how many faces
    the catalog has, how many of them are in no person, and how many wait for review."""

    persons: list[PersonSummary]
    avatars: dict[int, FaceRecord] = field(default_factory=dict)  # person id -> the face shown for it
    faces: int = 0
    unassigned: int = 0
    to_review: int = 0
    hidden: int = 0

    def named(self) -> list[PersonSummary]:
        return [p for p in self.persons if p.name is not None]


def people_overview(db: Database, *, include_hidden: bool = False) -> PeopleOverview:
    """Read everything the people pane lists (no vectors, no pixels)."""
    persons = list_persons(db, include_hidden=include_hidden)
    shown = faces_by_id(db, [p.avatar_face_id for p in persons if p.avatar_face_id is not None])
    avatars = {p.id: shown[p.avatar_face_id] for p in persons if p.avatar_face_id in shown}
    faces, unassigned = db.query("SELECT COUNT(*), COUNT(*) - COUNT(person_id) FROM faces")[0]
    to_review = count_suggestions(db)
    hidden = db.scalar("SELECT COUNT(*) FROM persons WHERE hidden = 1")
    return PeopleOverview(persons, avatars, int(faces), int(unassigned), to_review, int(hidden or 0))
