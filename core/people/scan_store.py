"""The scan's reads and writes: which photos still need a scan, and one photo's faces with its
``face_scans`` row, written together.

A photo is scanned under a model once: the ``face_scans`` row and the faces are one
transaction, so a run killed at any moment leaves each photo either untouched (scanned by
the next run) or finished (skipped by it). A face found where the photo already has one
(:data:`SAME_FACE_IOU`) is that face: the existing row, its person and whether a person
chose it stay; only a missing vector (a face drawn by hand or read from XMP, or one of
another model) is filled in with this model's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from core.catalog.db import Database
from core.people.records import MATCH_IOU, Box, iou
from core.people.store import _in_chunks

#: Two boxes overlapping this much (intersection over union) are one face.
SAME_FACE_IOU = 0.4


@dataclass(frozen=True, slots=True)
class PendingPhoto:
    """A photo the scan has to look at: its id and the path to open."""

    photo_id: int
    path: str


_PENDING = """
SELECT p.id, p.path, p.path_bytes FROM photos p
WHERE p.kind = 'photo' AND p.status = 'present'
  AND NOT EXISTS (SELECT 1 FROM face_scans s WHERE s.photo_id = p.id AND s.model = ?)
"""


def pending_photos(db: Database, model: str, photo_ids: Sequence[int] | None = None) -> list[PendingPhoto]:
    """Present photos (not videos) with no scan under ``model`` (of ``photo_ids`` only, if given), by id."""
    if photo_ids is None:
        rows = db.query(_PENDING + " ORDER BY p.id", (model,))
    else:
        rows = sorted(_in_chunks(db, _PENDING + " AND p.id IN ({marks})", list(photo_ids), (model,)))
    return [PendingPhoto(r[0], os.fsdecode(r[2]) if r[2] is not None else r[1]) for r in rows]


@dataclass(frozen=True, slots=True)
class NewFace:
    """A face the model found, to be stored: box in upright original pixels, score, vector."""

    box: Box
    score: float
    vector: bytes


def store_scan(
    db: Database, photo_id: int, model: str, faces: Sequence[NewFace], error: str | None = None
) -> int | None:
    """Write one photo's scan (its faces, or the ``error`` it could not be scanned for) in one
    transaction. Returns the faces added, or None when there was nothing to do (the photo left
    the catalog, or another run scanned it first)."""
    with db.transaction() as conn:
        present = conn.execute("SELECT 1 FROM photos WHERE id = ? AND status = 'present'", (photo_id,)).fetchone()
        done = conn.execute("SELECT 1 FROM face_scans WHERE photo_id = ? AND model = ?", (photo_id, model)).fetchone()
        if present is None or done is not None:
            return None
        existing = [
            (row[0], Box(row[1], row[2], row[3], row[4]), row[5] is not None and row[6] == model)
            for row in conn.execute("SELECT id, x, y, w, h, vector, model FROM faces WHERE photo_id = ?", (photo_id,))
        ]
        added = 0
        for face in faces:
            match = _same_face(face.box, existing)
            if match is None:
                conn.execute(
                    "INSERT INTO faces (photo_id, model, x, y, w, h, score, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (photo_id, model, face.box.x, face.box.y, face.box.w, face.box.h, face.score, face.vector),
                )
                added += 1
                continue
            existing.remove(match)  # one found face per existing face
            if not match[2]:
                conn.execute("UPDATE faces SET model = ?, score = ?, vector = ? WHERE id = ?",
                             (model, face.score, face.vector, match[0]))  # fmt: skip
        conn.execute(
            "INSERT OR REPLACE INTO face_scans (photo_id, model, faces, error) VALUES (?, ?, ?, ?)",
            (photo_id, model, len(faces), error),
        )
    return added


def _same_face(box: Box, existing: list[tuple[int, Box, bool]]) -> tuple[int, Box, bool] | None:
    """The existing face that overlaps ``box`` most, if by :data:`SAME_FACE_IOU` or more — or by
    :data:`~core.people.records.MATCH_IOU` for a face with no vector of this model yet (a region
    another tool drew, often larger than the detector's box: the name it brought must stay)."""
    best, best_iou = None, 0.0
    for candidate in existing:
        overlap = iou(box, candidate[1])
        needed = SAME_FACE_IOU if candidate[2] else MATCH_IOU
        if overlap >= needed and overlap > best_iou:
            best, best_iou = candidate, overlap
    return best
