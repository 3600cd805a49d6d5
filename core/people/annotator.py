"""People as an :class:`~core.annotations.base.Annotator`: ``people`` (the sorted names of
the named persons in a photo) in listings; a duplicate resolve hands the trashed copy's
faces to the keeper that has none (and takes them back on undo); a move keeps them.

Faces are not manifest labels (a rebuild scans again) nor XMP fields yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from core.annotations.base import Annotator, Fields
from core.catalog.db import Database
from core.people.records import Box
from core.people.store import carry_scan, faces_on, long_sides, people_of_photos, place_face


class PeopleAnnotator(Annotator):
    """``people``: names of the named persons whose faces are in the photo."""

    name = "people"
    compared = ("people",)

    def read(self, db: Database, photo_ids: Sequence[int]) -> dict[int, Fields]:
        names = people_of_photos(db, list(photo_ids))
        return {photo_id: {"people": names.get(photo_id, [])} for photo_id in photo_ids}

    def sidecar(self, fields: Fields) -> Fields:
        """The named persons, written as MWG face regions (core/xmp/faces.py)."""
        return {"faces": fields["people"]}

    def merge(self, conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> Fields | None:
        """The faces of the first donor that has any move to a keeper without faces, their
        boxes scaled to the keeper's size (copies show the same faces: one set is enough)."""
        donors = [d for d in donor_ids if d != keeper_id]
        if not donors or faces_on(conn, [keeper_id]):
            return None
        faces = faces_on(conn, donors)
        if not faces:
            return None
        donor = faces[0][1]
        sides = long_sides(conn, [keeper_id, donor])
        scale = sides[keeper_id] / sides[donor] if sides.get(keeper_id) and sides.get(donor) else 1.0
        moved = [face for face in faces if face[1] == donor]
        for face_id, _photo, x, y, w, h in moved:
            place_face(conn, face_id, keeper_id, Box(*(round(v * scale) for v in (x, y, w, h))))
        return {"faces": [list(face) for face in moved]}

    def revert(self, conn: sqlite3.Connection, keeper_id: int, undo: Fields) -> None:
        """Each moved face goes back to its copy with its box there, if it is still on the keeper."""
        on_keeper = {face[0] for face in faces_on(conn, [keeper_id])}
        for face_id, photo_id, x, y, w, h in undo.get("faces", []):
            if face_id in on_keeper:
                place_face(conn, face_id, photo_id, Box(x, y, w, h))

    def carry(self, conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
        """A moved file's faces (same bytes, same boxes) stay with it when the older row has none."""
        if faces_on(conn, [to_id]):
            return
        for face_id, _photo, x, y, w, h in faces_on(conn, [from_id]):
            place_face(conn, face_id, to_id, Box(x, y, w, h))
        carry_scan(conn, from_id, to_id)


PEOPLE = PeopleAnnotator()
