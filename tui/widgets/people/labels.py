"""How persons and faces are named on screen."""

from __future__ import annotations

import os

from core.people import FaceRecord, PersonSummary
from tui.formatting import plural

UNNAMED = "Unnamed"


def person_label(person: PersonSummary) -> str:
    """The person's name, or "Unnamed" for a group not named yet."""
    return person.name or UNNAMED


def person_caption(person: PersonSummary) -> str:
    """``12 photos`` (and ``hidden`` when it is)."""
    return plural(person.photos, "photo") + (" · hidden" if person.hidden else "")


def face_caption(face: FaceRecord) -> str:
    """``set by hand`` for a manual face, else how far it is from its person (smaller = surer)."""
    if face.source == "manual":
        return "confirmed"
    return f"auto {face.distance:.2f}" if face.distance is not None else "auto"


def photo_name(face: FaceRecord) -> str:
    return os.path.basename(face.path)


def face_name(face: FaceRecord) -> str:
    """Who the face is: its person's name, "Unnamed" (in a group not named yet), or "No one"."""
    if face.person is not None:
        return face.person
    return UNNAMED if face.person_id is not None else "No one"


def person_name_from(names: list[str]) -> str:
    """The names dialog's comma-separated pieces as one name ("Smith, John" stays one person)."""
    return ", ".join(names)
