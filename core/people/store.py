"""Reading and writing the people tables: faces, persons, scans. All their SQL lives in core/people/.

Vectors are stored as little-endian float32 bytes (``numpy.ndarray.tobytes``) with the
model id that made them; a face read from an XMP region before any scan has no vector.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from core.catalog.db import Database
from core.people.records import Box, FaceRecord, PersonSummary

_FACE_SELECT = """
SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.person_id, s.name, f.source, f.distance
FROM faces f JOIN photos p ON p.id = f.photo_id LEFT JOIN persons s ON s.id = f.person_id
"""


def face_select() -> str:
    """The SELECT (faces ``f``, photos ``p``, persons ``s``) whose rows :func:`row_to_face` reads."""
    return _FACE_SELECT


def row_to_face(row) -> FaceRecord:
    """A :class:`FaceRecord` from a row of :func:`face_select`."""
    return FaceRecord(row[0], row[1], row[2], Box(row[3], row[4], row[5], row[6]), row[7], row[8], row[9], row[10])


def list_faces(
    db: Database, *, photo_id: int | None = None, person_id: int | None = None, unassigned: bool = False
) -> list[FaceRecord]:
    """Faces, optionally of one photo, of one person, or not in any person; by photo then position."""
    where, params = [], []
    if photo_id is not None:
        where.append("f.photo_id = ?")
        params.append(photo_id)
    if person_id is not None:
        where.append("f.person_id = ?")
        params.append(person_id)
    if unassigned:
        where.append("f.person_id IS NULL")
    sql = _FACE_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY f.photo_id, f.x, f.id"
    return [row_to_face(r) for r in db.query(sql, tuple(params))]


def get_face(db: Database, face_id: int) -> FaceRecord | None:
    rows = db.query(_FACE_SELECT + " WHERE f.id = ?", (face_id,))
    return row_to_face(rows[0]) if rows else None


def faces_by_id(db: Database, face_ids: Sequence[int]) -> dict[int, FaceRecord]:
    """These faces by id (those that exist), one query per 500 ids."""
    rows = _in_chunks(db, _FACE_SELECT + " WHERE f.id IN ({marks})", face_ids)
    return {face.id: face for face in map(row_to_face, rows)}


_PERSON_SELECT = """
SELECT s.id, s.name, COUNT(f.id), COUNT(DISTINCT f.photo_id), s.hidden, COALESCE(s.avatar_face_id, MIN(f.id))
FROM persons s LEFT JOIN faces f ON f.person_id = s.id
"""


def _person(row) -> PersonSummary:
    return PersonSummary(row[0], row[1], row[2], row[3], bool(row[4]), row[5])


def list_persons(db: Database, *, include_hidden: bool = False, min_faces: int = 1) -> list[PersonSummary]:
    """Persons with their face and photo counts: named first (by name), then unnamed by size.

    An unnamed cluster smaller than ``min_faces`` is left out; a named person never is.
    The avatar is the chosen face, else the person's first.
    """
    rows = db.query(
        _PERSON_SELECT
        + """
        WHERE (? OR s.hidden = 0)
        GROUP BY s.id
        HAVING s.name IS NOT NULL OR COUNT(f.id) >= ?
        ORDER BY s.name IS NULL, s.name COLLATE NOCASE, COUNT(f.id) DESC, s.id
        """,
        (int(include_hidden), min_faces),
    )
    return [_person(r) for r in rows]


def get_person(db: Database, person_id: int) -> PersonSummary | None:
    rows = db.query(_PERSON_SELECT + " WHERE s.id = ? GROUP BY s.id", (person_id,))
    return _person(rows[0]) if rows else None


def find_person(db: Database, name: str) -> int | None:
    """The id of the person with this name (any case), or None."""
    found = db.scalar("SELECT id FROM persons WHERE name = ? COLLATE NOCASE", (name.strip(),))
    return int(found) if found is not None else None


def _in_chunks(db: Database, sql: str, ids: Sequence[int], params: tuple = ()) -> list:
    """Rows of ``sql`` (whose ``{marks}`` is an IN list) for every id, 500 ids a query."""
    rows: list = []
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start : start + 500])
        rows += db.query(sql.format(marks=",".join("?" * len(chunk))), (*params, *chunk))
    return rows


def people_of_photos(db: Database, photo_ids: Sequence[int]) -> dict[int, list[str]]:
    """Names of the named persons in each photo, sorted (photos without any are left out)."""
    out: dict[int, list[str]] = {}
    sql = """SELECT DISTINCT f.photo_id, s.name FROM faces f JOIN persons s ON s.id = f.person_id
             WHERE s.name IS NOT NULL AND f.photo_id IN ({marks})"""
    for photo_id, name in _in_chunks(db, sql, photo_ids):
        out.setdefault(photo_id, []).append(name)
    return {k: sorted(v, key=str.casefold) for k, v in out.items()}


def names_by_photo(db: Database) -> dict[int, frozenset[str]]:
    """Every photo showing a named person, with those names casefolded (to tell which photos a
    change renamed, named or took a name from)."""
    out: dict[int, set[str]] = {}
    for photo_id, name in db.query(
        "SELECT DISTINCT f.photo_id, s.name FROM faces f JOIN persons s ON s.id = f.person_id WHERE s.name IS NOT NULL"
    ):
        out.setdefault(photo_id, set()).add(name.casefold())
    return {photo_id: frozenset(names) for photo_id, names in out.items()}


def encode_vector(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def decode_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")


def vectors(db: Database, model: str, face_ids: Iterable[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(face ids, matrix of their vectors) for every face of ``model`` (or just ``face_ids``)."""
    if face_ids is None:
        rows = db.query("SELECT id, vector FROM faces WHERE model = ? AND vector IS NOT NULL ORDER BY id", (model,))
    else:
        sql = "SELECT id, vector FROM faces WHERE model = ? AND vector IS NOT NULL AND id IN ({marks})"
        rows = _in_chunks(db, sql, list(face_ids), (model,))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    if not rows:
        return ids, np.zeros((0, 0), dtype=np.float32)
    return ids, np.vstack([decode_vector(r[1]) for r in rows])


def models_with_vectors(db: Database) -> list[str]:
    """The ids of the models whose vectors the catalog holds."""
    return [r[0] for r in db.query("SELECT DISTINCT model FROM faces WHERE vector IS NOT NULL AND model IS NOT NULL")]


def faces_on(conn: sqlite3.Connection, photo_ids: Sequence[int]) -> list[tuple[int, int, int, int, int, int]]:
    """(face id, photo id, x, y, w, h) of every face on these photos, by photo then id (inside a transaction)."""
    marks = ",".join("?" * len(photo_ids))
    return [tuple(r) for r in conn.execute(
        f"SELECT id, photo_id, x, y, w, h FROM faces WHERE photo_id IN ({marks}) ORDER BY photo_id, id", tuple(photo_ids)
    ).fetchall()]  # fmt: skip


def long_sides(conn: sqlite3.Connection, photo_ids: Sequence[int]) -> dict[int, int]:
    """Each photo's longer side in pixels (0 when unknown): boxes scale by their ratio between copies."""
    marks = ",".join("?" * len(photo_ids))
    rows = conn.execute(f"SELECT id, max(coalesce(width, 0), coalesce(height, 0)) FROM photos WHERE id IN ({marks})",
                        tuple(photo_ids)).fetchall()  # fmt: skip
    return {r[0]: r[1] for r in rows}


def place_face(conn: sqlite3.Connection, face_id: int, photo_id: int, box: Box) -> None:
    """Put a face on a photo with its box there (a merge of copies, its undo, a move)."""
    conn.execute("UPDATE faces SET photo_id = ?, x = ?, y = ?, w = ?, h = ? WHERE id = ?",
                 (photo_id, box.x, box.y, box.w, box.h, face_id))  # fmt: skip


def carry_scan(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    """``to_id`` takes ``from_id``'s face scan record unless it has its own."""
    conn.execute("INSERT OR IGNORE INTO face_scans (photo_id, model, faces, error, scanned_at) "
                 "SELECT ?, model, faces, error, scanned_at FROM face_scans WHERE photo_id = ?", (to_id, from_id))  # fmt: skip
