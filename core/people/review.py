"""The review queue: "is this face that person?" for the automatic assignments least sure first.

A "yes" is :func:`core.people.corrections.confirm_face`, a "no" is ``reject_face``; a skipped
face comes back next time. Only named, shown persons are asked about (an unnamed group is
named first, as a whole).
"""

from __future__ import annotations

from core.catalog.db import Database
from core.people.records import Suggestion
from core.people.store import face_select, get_person, row_to_face

#: Faces the queue asks about (over :func:`~core.people.store.face_select`'s ``f`` and ``s``).
_ASKED = " WHERE f.source = 'auto' AND f.distance IS NOT NULL AND s.name IS NOT NULL AND s.hidden = 0"


def count_suggestions(db: Database) -> int:
    """How many faces the review queue would ask about."""
    return int(db.scalar("SELECT COUNT(*) FROM faces f JOIN persons s ON s.id = f.person_id" + _ASKED) or 0)


def suggestions(db: Database, limit: int = 20) -> list[Suggestion]:
    """Up to ``limit`` automatically placed faces of named persons, the farthest from their person first."""
    rows = db.query(
        face_select() + _ASKED + " ORDER BY f.distance DESC, f.id LIMIT ?",
        (max(0, limit),),
    )
    persons: dict[int, object] = {}
    out = []
    for row in rows:
        face = row_to_face(row)
        if face.person_id not in persons:
            persons[face.person_id] = get_person(db, face.person_id)
        out.append(Suggestion(face, persons[face.person_id], float(face.distance)))
    return out
