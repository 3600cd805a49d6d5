"""Named faces as boxes, both ways: for the face regions other tools keep (MWG regions in XMP
sidecars, written by digiKam, Lightroom and Picasa).

A region another tool names is a person's decision, so it is taken as a manual assignment:
the photo's face overlapping it most (:data:`MATCH_IOU`) is assigned that name; with no face
there yet (no scan, or the detector missed it) a manual face without a vector is added, so
the name is not lost and a later scan finding that face keeps it. Regions and faces are
matched one to one. A face a person set by hand to another name stays so unless the caller
says the region is the newer decision (``overrule_manual``).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.catalog.db import Database
from core.people.corrections import add_face, assign_face, clean_name, reject_face
from core.people.records import MATCH_IOU, Box, FaceRecord, PeopleError, iou
from core.people.store import list_faces


def named_faces(db: Database, photo_id: int) -> list[FaceRecord]:
    """The photo's faces that belong to a named person, left to right."""
    return [face for face in list_faces(db, photo_id=photo_id) if face.person]


def can_hold(name: str) -> bool:
    """Whether ``name`` can be a person's name here (so a region of it is one Shoebox would have taken)."""
    try:
        clean_name(name)
    except PeopleError:
        return False
    return True


def take_named_boxes(db: Database, photo_id: int, regions: Sequence[tuple[str, Box]], *, skip: set[str],
                     overrule_manual: bool) -> list[str]:  # fmt: skip
    """Make the photo show each ``(name, box)`` of ``regions`` (the names in ``skip``,
    casefolded, are only matched, never taken); returns the names the catalog took.

    A name the photo shows already is that face. A name that cannot be a person's (see
    :func:`core.people.corrections.clean_name`) is passed over. The faces near the ones named
    are not placed again here: call
    :func:`core.people.corrections.place_unassigned` once after a batch of photos."""
    faces = list_faces(db, photo_id=photo_id)
    shown = {face.person.casefold(): face for face in faces if face.person}
    used = {shown[name.casefold()].id for name, _box in regions if name.casefold() in shown}
    taken: list[str] = []
    for name, box in regions:
        key = name.casefold()
        if key in shown or key in skip or not can_hold(name) or key in {t.casefold() for t in taken}:
            continue
        match = _best_match(box, [face for face in faces if face.id not in used])
        if match is not None and match.source == "manual" and match.person and not overrule_manual:
            continue  # the region is that face, and a person here said it is someone else
        try:
            if match is None:
                used.add(add_face(db, photo_id, box, name, place_near=False))
            else:
                assign_face(db, match.id, name, place_near=False)
                used.add(match.id)
        except PeopleError:
            continue  # one photo cannot show a person twice: the face set by hand stays
        taken.append(name)
        faces = list_faces(db, photo_id=photo_id)  # an assignment may move other faces of the photo
    return taken


def drop_names(db: Database, photo_id: int, names: set[str]) -> list[str]:
    """The photo no longer shows these persons (casefolded names): their faces there are
    rejected from them. Returns the names dropped."""
    dropped = []
    for face in named_faces(db, photo_id):
        if face.person.casefold() in names:  # type: ignore[union-attr]
            reject_face(db, face.id)
            dropped.append(face.person)
    return dropped  # type: ignore[return-value]


def _best_match(box: Box, faces: list[FaceRecord]) -> FaceRecord | None:
    best, best_overlap = None, MATCH_IOU
    for face in faces:
        overlap = iou(box, face.box)
        if overlap >= best_overlap:
            best, best_overlap = face, overlap
    return best
