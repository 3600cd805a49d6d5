"""The undo log of people corrections: rows as they were before, put back exactly.

A correction opens a :class:`Changes`, tells it which rows it is about to change (faces,
persons, rejections), and saves it in the same transaction; :func:`undo_last` restores the
latest one — persons that did not exist are removed, removed ones come back with their id.
The log lives in ``people_undo`` (catalog migration 10).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from core.catalog.db import Database
from core.people.records import PeopleError
from core.people.store import _in_chunks


class Changes:
    """Before-images of the rows one correction changes (call ``keep_*`` before writing)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.faces: dict[int, list] = {}  # face id -> [person_id, source, distance]
        self.persons: dict[int, list | None] = {}  # person id -> [name, hidden, avatar, created_at], None: new
        self.rejection_faces: set[int] = set()
        self.rejection_persons: set[int] = set()
        self.rejections: set[tuple[int, int]] = set()
        self.created_faces: set[int] = set()

    def keep_faces(self, face_ids: Iterable[int]) -> None:
        new = [int(i) for i in dict.fromkeys(face_ids) if int(i) not in self.faces]
        for row in _in_chunks(self.db, "SELECT id, person_id, source, distance FROM faces WHERE id IN ({marks})", new):
            self.faces[row[0]] = [row[1], row[2], row[3]]

    def keep_persons(self, person_ids: Iterable[int]) -> None:
        new = sorted({int(i) for i in person_ids} - self.persons.keys())
        sql = "SELECT id, name, hidden, avatar_face_id, created_at FROM persons WHERE id IN ({marks})"
        found = {row[0]: list(row[1:]) for row in _in_chunks(self.db, sql, new)}
        for person_id in new:
            self.persons[person_id] = found.get(person_id)
        self.keep_rejections(person_ids=person_ids)

    def created_person(self, person_id: int) -> None:
        self.persons.setdefault(int(person_id), None)

    def created_face(self, face_id: int) -> None:
        """A face row this correction added (undo removes it)."""
        self.created_faces.add(int(face_id))

    def keep_rejections(self, face_ids: Iterable[int] = (), person_ids: Iterable[int] = ()) -> None:
        faces = {int(i) for i in face_ids} - self.rejection_faces
        persons = {int(i) for i in person_ids} - self.rejection_persons
        for column, ids in (("face_id", faces), ("person_id", persons)):
            sql = f"SELECT face_id, person_id FROM face_rejections WHERE {column} IN ({{marks}})"
            self.rejections.update((r[0], r[1]) for r in _in_chunks(self.db, sql, sorted(ids)))
        self.rejection_faces |= faces
        self.rejection_persons |= persons

    def save(self, action: str) -> None:
        """Store the log entry (inside the correction's transaction)."""
        before = {
            "faces": [[i, *v] for i, v in sorted(self.faces.items())],
            "persons": [[i, v] for i, v in sorted(self.persons.items())],
            "rejection_faces": sorted(self.rejection_faces),
            "rejection_persons": sorted(self.rejection_persons),
            "rejections": sorted(self.rejections),
            "created_faces": sorted(self.created_faces),
        }
        self.db.execute("INSERT INTO people_undo (action, before) VALUES (?, ?)", (action, json.dumps(before)))


def undo_last(db: Database) -> str | None:
    """Take back the latest correction; returns what it was in words, or None when none is left."""
    with db.transaction() as conn:
        row = conn.execute("SELECT id, action, before FROM people_undo ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        before = json.loads(row[2])
        try:
            _restore(conn, before)
        except sqlite3.IntegrityError as exc:
            raise PeopleError(f"cannot undo {row[1]}: the catalog changed since ({exc})") from exc
        conn.execute("DELETE FROM people_undo WHERE id = ?", (row[0],))
        return str(row[1])


def latest_change(db: Database) -> tuple[int, list[int]] | None:
    """The latest logged correction's id and the photos it changed the named persons of (the
    photos of faces whose person differs from the before-image, and of persons whose name
    does): what the correction changed, and what undoing it will change back. ``None`` when
    the log is empty."""
    row = db.conn.execute("SELECT id, before FROM people_undo ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    before = json.loads(row[1])
    faces = {int(face): person for face, person, _source, _distance in before["faces"]}
    names = {int(person): (image[0] if image else None) for person, image in before["persons"]}
    photos: set[int] = set()
    changed = sorted(faces.keys() | set(before.get("created_faces", [])))
    for face, photo, person in _in_chunks(
        db, "SELECT id, photo_id, person_id FROM faces WHERE id IN ({marks})", changed
    ):
        if face not in faces or faces[face] != person:
            photos.add(photo)
    now = dict(_in_chunks(db, "SELECT id, name FROM persons WHERE id IN ({marks})", sorted(names)))
    renamed = [p for p, name in names.items() if now.get(p) != name]
    sql = "SELECT DISTINCT photo_id FROM faces WHERE person_id IN ({marks})"
    photos.update(r[0] for r in _in_chunks(db, sql, renamed))
    return int(row[0]), sorted(photos)


def _restore(conn: sqlite3.Connection, before: dict) -> None:
    persons = [(int(i), v) for i, v in before["persons"]]
    existed = [(i, v) for i, v in persons if v is not None]
    for person_id, _ in existed:  # names may swap between the persons restored: clear them first
        conn.execute("UPDATE persons SET name = NULL WHERE id = ?", (person_id,))
    for person_id, (name, hidden, avatar, created_at) in existed:
        conn.execute(
            "INSERT INTO persons (id, name, hidden, avatar_face_id, created_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, hidden = excluded.hidden, "
            "avatar_face_id = excluded.avatar_face_id, created_at = excluded.created_at",
            (person_id, name, hidden, avatar, created_at),
        )
    conn.executemany(
        "UPDATE faces SET person_id = ?, source = ?, distance = ? WHERE id = ?",
        [(person, source, distance, face) for face, person, source, distance in before["faces"]],
    )
    for column, key in (("face_id", "rejection_faces"), ("person_id", "rejection_persons")):
        conn.executemany(f"DELETE FROM face_rejections WHERE {column} = ?", [(i,) for i in before[key]])
    conn.executemany(
        "INSERT OR IGNORE INTO face_rejections (face_id, person_id) SELECT ?, ? "
        "WHERE EXISTS (SELECT 1 FROM faces WHERE id = ?) AND EXISTS (SELECT 1 FROM persons WHERE id = ?)",
        [(f, p, f, p) for f, p in before["rejections"]],
    )
    conn.executemany("DELETE FROM faces WHERE id = ?", [(i,) for i in before.get("created_faces", [])])
    conn.executemany("DELETE FROM persons WHERE id = ?", [(i,) for i, v in persons if v is None])


def clear(db: Database) -> None:
    """Forget every logged correction (after a full re-cluster, their before-images mean nothing)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM people_undo")
