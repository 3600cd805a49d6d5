"""People: faces found in photos, grouped into persons, named and corrected by hand.

Tables (catalog migration 9): ``faces``, ``persons``, ``face_scans``, ``face_rejections``.
Other capabilities and the UI reach them only through the functions exported here.
"""

from core.people.corrections import (
    assign_face,
    confirm_face,
    hide_person,
    merge_persons,
    name_person,
    reject_face,
    set_avatar,
    undo_last,
)
from core.people.records import Box, FaceRecord, PeopleError, PersonSummary, Suggestion
from core.people.store import find_person, get_face, get_person, list_faces, list_persons, people_of_photos

__all__ = [
    "Box", "FaceRecord", "PeopleError", "PersonSummary", "Suggestion", "assign_face", "confirm_face",
    "find_person", "get_face", "get_person", "hide_person", "list_faces", "list_persons", "merge_persons",
    "name_person", "people_of_photos", "reject_face", "set_avatar", "undo_last",
]  # fmt: skip
