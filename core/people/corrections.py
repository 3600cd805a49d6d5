"""A user's decisions about faces and persons: facts that no scan or re-cluster undoes.

Every function here is one transaction and is recorded (:mod:`core.people.undo`) so
:func:`undo_last` takes it back exactly — merges and renames that merge included. After a
face joins a person (assign, merge), unassigned faces near it are placed again, in the same
recorded transaction: naming one face brings the faces near it in — the rest of its unnamed
group, or of any group the side that is the same person (a look-alike's faces leave with it;
:func:`core.people.clustering.split_person`) — and undo takes them out.
Two faces of one photo are never in one person: an automatic face in the way is detached,
a manual one refuses the change. :func:`add_face` records a face no scan found (a region
another tool drew) as a manual face without a vector; undo removes it again.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from core.catalog.db import Database
from core.people.clustering import absorb_unnamed, cluster_new_faces, split_person
from core.people.records import Box, PeopleError, UnknownPeopleId
from core.people.store import find_person, models_with_vectors
from core.people.undo import Changes, undo_last

__all__ = [
    "add_face", "assign_face", "confirm_face", "hide_person", "merge_persons", "name_person", "place_unassigned",
    "reject_face", "set_avatar", "undo_last",
]  # fmt: skip

#: The longest name taken.
MAX_NAME = 200


@contextmanager
def _recorded(db: Database, action: str) -> Iterator[Changes]:
    """One transaction whose before-images are saved under ``action`` for :func:`undo_last`."""
    with db.transaction():
        changes = Changes(db)
        yield changes
        changes.save(action)


def clean_name(name: str) -> str:
    """The name as stored (spaces trimmed); raises :class:`PeopleError` on one that cannot be a name."""
    name = re.sub(r"\s+", " ", name).strip()
    if not name:
        raise PeopleError("a name cannot be empty")
    if len(name) > MAX_NAME:
        raise PeopleError(f"a name can be at most {MAX_NAME} characters")
    if not name.isprintable():
        raise PeopleError("a name cannot hold control characters")
    if name.startswith("#"):
        raise PeopleError("a name cannot start with # (person:#ID means a person's id)")
    return name


def _face(db: Database, face_id: int) -> sqlite3.Row:
    row = db.conn.execute(
        "SELECT id, photo_id, person_id, source, model FROM faces WHERE id = ?", (face_id,)
    ).fetchone()
    if row is None:
        raise UnknownPeopleId(f"no face has id {face_id}")
    return row


def _person(db: Database, person_id: int) -> sqlite3.Row:
    row = db.conn.execute("SELECT id, name, hidden, avatar_face_id FROM persons WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise UnknownPeopleId(f"no person has id {person_id}")
    return row


def _person_of(face: sqlite3.Row) -> int:
    if face["person_id"] is None:
        raise PeopleError(f"face {face['id']} is not in any person: give it a name with assign")
    return int(face["person_id"])


def _label(db: Database, person_id: int) -> str:
    name = db.scalar("SELECT name FROM persons WHERE id = ?", (person_id,))
    return repr(name) if name is not None else f"person {person_id}"


def _detach(db: Database, changes: Changes, face_ids: list[int]) -> None:
    changes.keep_faces(face_ids)
    db.conn.executemany(
        "UPDATE faces SET person_id = NULL, source = 'auto', distance = NULL WHERE id = ?", [(i,) for i in face_ids]
    )


def _make_room(db: Database, changes: Changes, person_id: int, photo_id: int, face_id: int) -> None:
    """Detach the person's automatic faces in this photo; a manual one there refuses the change."""
    rows = db.query(
        "SELECT id, source FROM faces WHERE person_id = ? AND photo_id = ? AND id != ?", (person_id, photo_id, face_id)
    )
    manual = [r[0] for r in rows if r[1] == "manual"]
    if manual:
        raise PeopleError(f"face {manual[0]} of that photo is already {_label(db, person_id)}: "
                          "one photo cannot show a person twice")  # fmt: skip
    _detach(db, changes, [r[0] for r in rows])


def _drop_if_empty(db: Database, changes: Changes, person_id: int | None) -> None:
    """An unnamed person left with no faces (and no decision on it) goes away."""
    if person_id is None:
        return
    empty = db.scalar(
        "SELECT 1 FROM persons s WHERE s.id = ? AND s.name IS NULL AND s.hidden = 0 "
        "AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = s.id) "
        "AND NOT EXISTS (SELECT 1 FROM face_rejections r WHERE r.person_id = s.id)",
        (person_id,),
    )
    if empty:
        changes.keep_persons([person_id])
        db.execute("DELETE FROM persons WHERE id = ?", (person_id,))


def _clear_avatar(db: Database, changes: Changes, person_id: int | None, face_id: int) -> None:
    if person_id is not None and db.scalar("SELECT avatar_face_id FROM persons WHERE id = ?", (person_id,)) == face_id:
        changes.keep_persons([person_id])
        db.execute("UPDATE persons SET avatar_face_id = NULL WHERE id = ?", (person_id,))


def _attach_near(db: Database, changes: Changes, person_id: int) -> None:
    """Place the unassigned faces again now that this person has more faces, and take in the
    unnamed groups that are this person too."""
    for (model,) in db.query(
        "SELECT DISTINCT model FROM faces WHERE person_id = ? AND model IS NOT NULL AND vector IS NOT NULL",
        (person_id,),
    ):
        cluster_new_faces(db, model, changes=changes)
    absorb_unnamed(db, person_id, changes)


def name_person(db: Database, person_id: int, name: str) -> int:
    """Name (or rename) a person; a name another person has merges them. Returns the surviving id."""
    name = clean_name(name)
    _person(db, person_id)
    other = find_person(db, name)
    if other is not None and other != person_id:
        with _recorded(db, f"name person {person_id} {name!r} (merged into person {other})") as changes:
            _merge(db, changes, person_id, other)
        return other
    with _recorded(db, f"name person {person_id} {name!r}") as changes:
        changes.keep_persons([person_id])
        db.execute("UPDATE persons SET name = ? WHERE id = ?", (name, person_id))
    return person_id


def assign_face(db: Database, face_id: int, name: str, *, place_near: bool = True) -> int:
    """This face is ``name`` (the person is created if needed); manual. Returns the person id.

    ``place_near=False`` leaves the faces near it where they are: a caller assigning many faces
    (reading sidecars) places them once at the end (:func:`place_unassigned`)."""
    name = clean_name(name)
    face = _face(db, face_id)
    with _recorded(db, f"assign face {face_id} to {name!r}") as changes:
        return _assign(db, changes, face, name, place_near)


def add_face(db: Database, photo_id: int, box: Box, name: str, *, place_near: bool = True) -> int:
    """A face no scan found (drawn by hand, or a region another tool wrote) is ``name``: a manual
    face without a vector (a later scan finding it fills the vector in). Returns the face id."""
    name = clean_name(name)
    with _recorded(db, f"add a face of {name!r} to photo {photo_id}") as changes:
        face_id = int(db.execute(
            "INSERT INTO faces (photo_id, x, y, w, h, source) VALUES (?, ?, ?, ?, ?, 'manual')",
            (photo_id, box.x, box.y, box.w, box.h),
        ).lastrowid)  # fmt: skip
        changes.created_face(face_id)
        _assign(db, changes, _face(db, face_id), name, place_near)
    return face_id


def place_unassigned(db: Database) -> None:
    """Place the faces in no person, for every model (after assignments made with ``place_near=False``)."""
    for model in models_with_vectors(db):
        cluster_new_faces(db, model)


def _assign(db: Database, changes: Changes, face: sqlite3.Row, name: str, place_near: bool) -> int:
    face_id = int(face["id"])
    person_id = find_person(db, name)
    if person_id is None:
        person_id = int(db.execute("INSERT INTO persons (name) VALUES (?)", (name,)).lastrowid)
        changes.created_person(person_id)
    _make_room(db, changes, person_id, face["photo_id"], face_id)
    changes.keep_faces([face_id])
    changes.keep_rejections(face_ids=[face_id])
    db.execute("DELETE FROM face_rejections WHERE face_id = ? AND person_id = ?", (face_id, person_id))
    db.execute("UPDATE faces SET person_id = ?, source = 'manual', distance = NULL WHERE id = ?", (person_id, face_id))
    old = face["person_id"]
    if old is not None and old != person_id:
        _clear_avatar(db, changes, old, face_id)
        split_person(db, old, person_id, changes)
        _drop_if_empty(db, changes, old)
    if place_near:
        _attach_near(db, changes, person_id)
    return person_id


def confirm_face(db: Database, face_id: int) -> None:
    """The face's automatic person is right: it becomes a manual assignment."""
    face = _face(db, face_id)
    person_id = _person_of(face)
    with _recorded(db, f"confirm face {face_id} is {_label(db, person_id)}") as changes:
        changes.keep_faces([face_id])
        db.execute("UPDATE faces SET source = 'manual' WHERE id = ?", (face_id,))


def reject_face(db: Database, face_id: int) -> None:
    """Not the person it is attached to: detached, and never attached to that person again."""
    face = _face(db, face_id)
    person_id = _person_of(face)
    with _recorded(db, f"reject face {face_id} from {_label(db, person_id)}") as changes:
        changes.keep_rejections(face_ids=[face_id])
        db.execute("INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?, ?)", (face_id, person_id))
        _detach(db, changes, [face_id])
        _clear_avatar(db, changes, person_id, face_id)


def merge_persons(db: Database, source_id: int, target_id: int) -> int:
    """Every face of ``source_id`` joins ``target_id``; returns ``target_id``."""
    if source_id == target_id:
        raise PeopleError("a person cannot be merged into itself")
    _person(db, source_id)
    _person(db, target_id)
    with _recorded(db, f"merge {_label(db, source_id)} into {_label(db, target_id)}") as changes:
        _merge(db, changes, source_id, target_id)
    return target_id


def _merge(db: Database, changes: Changes, source_id: int, target_id: int) -> None:
    """Move faces, rejections, name (if the target has none) and avatar; then the source is gone."""
    source, target = _person(db, source_id), _person(db, target_id)
    changes.keep_persons([source_id, target_id])
    _resolve_shared_photos(db, changes, source_id, target_id)
    changes.keep_faces(r[0] for r in db.query("SELECT id FROM faces WHERE person_id = ?", (source_id,)))
    db.execute("UPDATE faces SET person_id = ? WHERE person_id = ?", (target_id, source_id))
    db.execute(
        "INSERT OR IGNORE INTO face_rejections (face_id, person_id) SELECT face_id, ? FROM face_rejections WHERE person_id = ?",
        (target_id, source_id),
    )
    db.execute("DELETE FROM persons WHERE id = ?", (source_id,))
    if target["name"] is None and source["name"] is not None:
        db.execute("UPDATE persons SET name = ? WHERE id = ?", (source["name"], target_id))
    if target["avatar_face_id"] is None and source["avatar_face_id"] is not None:
        db.execute("UPDATE persons SET avatar_face_id = ? WHERE id = ?", (source["avatar_face_id"], target_id))
    _attach_near(db, changes, target_id)


def _resolve_shared_photos(db: Database, changes: Changes, source_id: int, target_id: int) -> None:
    """Photos with a face in both persons keep one: the manual one, else the target's."""
    rows = db.query(
        "SELECT s.id, s.source, t.id, t.source FROM faces s JOIN faces t ON t.photo_id = s.photo_id "
        "WHERE s.person_id = ? AND t.person_id = ?",
        (source_id, target_id),
    )
    detach = []
    for source_face, source_kind, target_face, target_kind in rows:
        if source_kind == "manual" and target_kind == "manual":
            raise PeopleError(f"faces {source_face} and {target_face} are of one photo and both set by hand: "
                              "reject one of them before merging")  # fmt: skip
        detach.append(target_face if target_kind == "auto" and source_kind == "manual" else source_face)
    _detach(db, changes, detach)


def hide_person(db: Database, person_id: int, hidden: bool = True) -> None:
    """Hide the person from the people list (or show it again); its faces stay where they are."""
    _person(db, person_id)
    with _recorded(db, f"{'hide' if hidden else 'unhide'} {_label(db, person_id)}") as changes:
        changes.keep_persons([person_id])
        db.execute("UPDATE persons SET hidden = ? WHERE id = ?", (int(hidden), person_id))


def set_avatar(db: Database, face_id: int) -> None:
    """Show this face as its person's avatar (choosing it confirms the face is that person)."""
    face = _face(db, face_id)
    person_id = _person_of(face)
    with _recorded(db, f"set face {face_id} as the avatar of {_label(db, person_id)}") as changes:
        changes.keep_persons([person_id])
        changes.keep_faces([face_id])
        db.execute("UPDATE persons SET avatar_face_id = ? WHERE id = ?", (face_id, person_id))
        db.execute("UPDATE faces SET source = 'manual' WHERE id = ?", (face_id,))
