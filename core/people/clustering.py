"""Grouping faces into persons: incremental (new faces join or form persons) and full re-cluster.

Manual assignments, names and rejections are facts: neither function changes them.
Two faces of one photo are never put in one person. The arithmetic (thresholds, the
mean of the nearest faces, the margin to the next person) is in :mod:`core.people.grouping`;
this module reads the catalog into it and writes the outcome back, in one transaction.

- :func:`cluster_new_faces`: every person is a group of its faces; the faces without a
  person join one, or pair up into new persons (a face left alone stays unassigned and is
  tried again next time).
- :func:`recluster`: only manual faces stay where they are (their persons are the anchors);
  every other face is placed again from scratch, and each new group keeps the id — so the
  name, hidden flag and rejections — of the person most of its faces were in before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from core.catalog.db import Database
from core.people import undo
from core.people.grouping import K_NEAREST, MATCH_THRESHOLD, REPRESENTATIVES, Groups, distances, split_off
from core.people.store import _in_chunks, decode_vector, vectors
from core.people.undo import Changes


@dataclass(slots=True)
class ClusterStats:
    joined: int = 0  # faces that joined an existing person
    new_persons: int = 0  # persons formed from unmatched faces
    left_alone: int = 0  # faces left unassigned (no match, cluster too small)


@dataclass(slots=True)
class _Faces:
    """The faces of one model that have a vector, as arrays (index i is one face)."""

    ids: np.ndarray
    vectors: np.ndarray
    photos: np.ndarray
    persons: np.ndarray  # -1: none
    manual: np.ndarray
    distances: list[float | None]
    rejected: dict[int, set[int]] = field(default_factory=dict)  # face index -> person ids


def _load(db: Database, model: str) -> _Faces:
    rows = db.query(
        "SELECT id, photo_id, coalesce(person_id, -1), source = 'manual', distance, vector FROM faces "
        "WHERE model = ? AND vector IS NOT NULL ORDER BY id",
        (model,),
    )
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    vectors = _matrix([r[5] for r in rows])
    faces = _Faces(
        ids=ids,
        vectors=vectors,
        photos=np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
        persons=np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows)),
        manual=np.fromiter((bool(r[3]) for r in rows), dtype=bool, count=len(rows)),
        distances=[r[4] for r in rows],
    )
    index = {int(face_id): i for i, face_id in enumerate(ids.tolist())}
    for face_id, person_id in db.query(
        "SELECT r.face_id, r.person_id FROM face_rejections r JOIN faces f ON f.id = r.face_id WHERE f.model = ?",
        (model,),
    ):
        if face_id in index:
            faces.rejected.setdefault(index[face_id], set()).add(person_id)
    return faces


def _matrix(blobs: list[bytes]) -> np.ndarray:
    """The vectors as one float32 matrix (one join and one decode, not one per face)."""
    if not blobs:
        return np.zeros((0, 128), dtype=np.float32)
    width = len(blobs[0])
    if all(len(b) == width for b in blobs):
        return decode_vector(b"".join(blobs)).reshape(len(blobs), -1)
    raise ValueError("face vectors of one model differ in length")


def _groups_of(faces: _Faces, members_of: dict[int, list[int]]) -> tuple[Groups, dict[int, int]]:
    """Groups for these persons (person id -> face indices, manual ones first); group -> person."""
    groups = Groups(faces.vectors, faces.photos)
    ordered = [sorted(members, key=lambda i: (not faces.manual[i], i)) for members in members_of.values()]
    person_of = dict(zip(groups.add_groups(ordered), members_of, strict=True))
    group_of = {p: g for g, p in person_of.items()}
    for face, persons in faces.rejected.items():
        groups.rejected[face] = {group_of[p] for p in persons if p in group_of}
    return groups, person_of


def _members(faces: _Faces, which: np.ndarray) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for i in np.flatnonzero(which).tolist():
        members.setdefault(int(faces.persons[i]), []).append(i)
    return members


def cluster_new_faces(db: Database, model: str, *, changes: Changes | None = None) -> ClusterStats:
    """Place every face of ``model`` that has a vector but no person (and is not manual).

    ``changes``: a correction's undo record, told of every row written (corrections call this
    after they change a person, so that faces near it join it).
    """
    faces = _load(db, model)
    groups, person_of = _groups_of(faces, _members(faces, faces.persons >= 0))
    waiting = np.flatnonzero((faces.persons < 0) & ~faces.manual)
    groups.place(waiting)
    stats = ClusterStats()
    moves: list[tuple[int, int | None, float | None]] = []  # (face index, person id or -(new group) - 1, distance)
    for i in waiting.tolist():
        placed = groups.placed.get(i)
        if placed is None or placed.group < 0:
            stats.left_alone += 1
        elif placed.group in person_of:
            stats.joined += 1
            moves.append((i, person_of[placed.group], placed.distance))
        elif len(groups.members[placed.group]) >= 2:
            moves.append((i, -placed.group - 1, placed.distance))
        else:
            stats.left_alone += 1
    stats.new_persons = len({m[1] for m in moves if m[1] < 0})
    _write(db, faces, moves, changes)
    return stats


def recluster(db: Database, model: str) -> ClusterStats:
    """Re-do every automatic assignment from scratch; manual ones, names and rejections stay.

    The undo log is cleared: what it would put back no longer fits the new groups.
    """
    faces = _load(db, model)
    anchors = _members(faces, (faces.persons >= 0) & faces.manual)
    groups, person_of = _groups_of(faces, anchors)
    automatic = np.flatnonzero(~faces.manual)
    groups.place(automatic)
    inherited = _inherit(db, faces, groups, person_of, set(anchors))
    stats = ClusterStats()
    moves: list[tuple[int, int | None, float | None]] = []
    for i in automatic.tolist():
        placed = groups.placed.get(i)
        group = placed.group if placed is not None else -1
        person = person_of.get(group, inherited.get(group))
        if person is not None and person in faces.rejected.get(i, ()):
            person = None  # this group took the id of a person the face was rejected from
        if person is None and group >= 0 and len(groups.members[group]) >= 2:
            person = -group - 1
        if person is None:
            stats.left_alone += 1
        elif person >= 0 and group in person_of:
            stats.joined += 1
        moves.append((i, person, placed.distance if person is not None and placed is not None else None))
    stats.new_persons = len({m[1] for m in moves if m[1] is not None and m[1] < 0})
    _write(db, faces, moves, None)
    _drop_empty_persons(db)
    undo.clear(db)
    return stats


def _inherit(
    db: Database, faces: _Faces, groups: Groups, person_of: dict[int, int], anchored: set[int]
) -> dict[int, int]:
    """New group -> the old person (not an anchor) most of its faces were in, each person once.

    Named persons are preferred on a tie; a group of one face inherits only a name.
    """
    named = {int(r[0]) for r in db.query("SELECT id FROM persons WHERE name IS NOT NULL")}
    offers = []
    for group, members in enumerate(groups.members):
        if group in person_of:
            continue
        counts = Counter(int(faces.persons[i]) for i in members if faces.persons[i] >= 0)
        for person, count in counts.items():
            if person not in anchored and (len(members) >= 2 or person in named):
                offers.append((-count, person not in named, group, person))
    taken_groups: dict[int, int] = {}
    taken_persons: set[int] = set()
    for _count, _unnamed, group, person in sorted(offers):
        if group not in taken_groups and person not in taken_persons:
            taken_groups[group] = person
            taken_persons.add(person)
    return taken_groups


def _write(
    db: Database, faces: _Faces, moves: list[tuple[int, int | None, float | None]], changes: Changes | None
) -> None:
    """Store each face's person (negative: a new person for that group) and distance, if changed."""
    with db.transaction() as conn:
        new_ids: dict[int, int] = {}
        for key in sorted({p for _, p, _ in moves if p is not None and p < 0}, reverse=True):
            new_ids[key] = int(conn.execute("INSERT INTO persons (name) VALUES (NULL)").lastrowid)
            if changes is not None:
                changes.created_person(new_ids[key])
        rows = []
        for i, person, distance in moves:
            person = new_ids.get(person, person) if person is not None else None
            old = int(faces.persons[i])
            if (old if old >= 0 else None) != person or faces.distances[i] != distance:
                rows.append((person, distance, int(faces.ids[i])))
        if changes is not None:
            changes.keep_faces(r[2] for r in rows)
        conn.executemany("UPDATE faces SET person_id = ?, distance = ? WHERE id = ?", rows)


def _drop_empty_persons(db: Database) -> None:
    """Remove unnamed persons left without faces, unless a user decision hangs on them."""
    with db.transaction() as conn:
        conn.execute(
            "DELETE FROM persons WHERE name IS NULL AND hidden = 0 AND avatar_face_id IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = persons.id) "
            "AND NOT EXISTS (SELECT 1 FROM face_rejections r WHERE r.person_id = persons.id)"
        )


def split_person(db: Database, person_id: int, into_id: int, changes: Changes) -> int:
    """After a face of ``person_id`` was said to be ``into_id``: the automatic faces of ``person_id``
    that are ``into_id`` too follow it (unless their photo already shows ``into_id``).

    When the group holds two persons (:func:`core.people.grouping.split_off`), the side nearer
    ``into_id`` follows; when it is one person, all of it follows if it was unnamed (naming one
    face of a group names the group) and none of it if it has a name (one face was wrong).
    Returns how many moved."""
    unnamed = bool(db.scalar("SELECT name IS NULL FROM persons WHERE id = ?", (person_id,)))
    taken = {r[0] for r in db.query("SELECT photo_id FROM faces WHERE person_id = ?", (into_id,))}
    moved = 0
    for (model,) in db.query("SELECT DISTINCT model FROM faces WHERE person_id = ? AND vector IS NOT NULL", (into_id,)):
        rows = db.query("SELECT id, source, photo_id FROM faces WHERE person_id = ? AND model = ? AND vector IS NOT NULL",
                        (person_id, model))  # fmt: skip
        auto = [r for r in rows if r[1] == "auto"]
        if not auto:
            continue
        target = [r[0] for r in db.query("SELECT id FROM faces WHERE person_id = ? AND model = ? AND vector IS NOT NULL",
                                         (into_id, model))]  # fmt: skip
        go = split_off(_vectors_of(db, model, [r[0] for r in auto]),
                       _vectors_of(db, model, [r[0] for r in rows if r[1] == "manual"]),
                       _vectors_of(db, model, target))  # fmt: skip
        goes = go.tolist() if go is not None else [unnamed] * len(auto)
        leaving = [r[0] for r, g in zip(auto, goes, strict=True) if g and r[2] not in taken]
        changes.keep_faces(leaving)
        db.conn.executemany("UPDATE faces SET person_id = ? WHERE id = ?", [(into_id, f) for f in leaving])
        moved += len(leaving)
    return moved


def _vectors_of(db: Database, model: str, face_ids: list[int]) -> np.ndarray:
    """The vectors of these faces, in this order."""
    if not face_ids:
        return np.zeros((0, 0), dtype=np.float32)
    ids, matrix = vectors(db, model, face_ids)
    order = {int(face_id): row for row, face_id in enumerate(ids.tolist())}
    return matrix[[order[i] for i in face_ids]]


def absorb_unnamed(db: Database, person_id: int, changes: Changes) -> int:
    """Unnamed groups that are this person too join it: those whose faces' median distance to the
    person (mean of their :data:`K_NEAREST` nearest faces there) is within :data:`MATCH_THRESHOLD`.
    A face whose photo already shows the person stays. Returns how many faces joined."""
    joined = 0
    for (model,) in db.query(
        "SELECT DISTINCT model FROM faces WHERE person_id = ? AND vector IS NOT NULL", (person_id,)
    ):
        anchor = _vectors_of(db, model, [r[0] for r in db.query(
            "SELECT id FROM faces WHERE person_id = ? AND model = ? AND vector IS NOT NULL ORDER BY source = 'auto', id "
            "LIMIT ?", (person_id, model, REPRESENTATIVES))])  # fmt: skip
        rows = db.query(
            "SELECT f.id, f.person_id, f.photo_id, f.vector FROM faces f JOIN persons s ON s.id = f.person_id "
            "WHERE s.name IS NULL AND s.hidden = 0 AND f.model = ? AND f.vector IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM faces m WHERE m.person_id = s.id AND m.source = 'manual')",
            (model,),
        )
        if not rows or len(anchor) == 0:
            continue
        apart = distances(_matrix([r[3] for r in rows]), anchor)
        k = min(K_NEAREST, apart.shape[1])
        scores = np.sort(apart, axis=1)[:, :k].mean(axis=1)
        by_group: dict[int, list[int]] = {}
        for index, row in enumerate(rows):
            by_group.setdefault(row[1], []).append(index)
        taken = {r[0] for r in db.query("SELECT photo_id FROM faces WHERE person_id = ?", (person_id,))}
        joining = [rows[i][0] for members in by_group.values() if np.median(scores[members]) <= MATCH_THRESHOLD
                   for i in members if rows[i][2] not in taken]  # fmt: skip
        changes.keep_faces(joining)
        db.conn.executemany("UPDATE faces SET person_id = ? WHERE id = ?", [(person_id, f) for f in joining])
        joined += len(joining)
        gone = _emptied(db, by_group)
        emptied = [g for g in by_group if g in gone]
        changes.keep_persons(emptied)
        db.conn.executemany("DELETE FROM persons WHERE id = ?", [(g,) for g in emptied])
    return joined


def _emptied(db: Database, person_ids: Iterable[int]) -> set[int]:
    """Those of these persons left with no face and no rejection (one query per 500 ids)."""
    sql = ("SELECT s.id FROM persons s WHERE s.id IN ({marks}) "
           "AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = s.id) "
           "AND NOT EXISTS (SELECT 1 FROM face_rejections r WHERE r.person_id = s.id)")  # fmt: skip
    return {int(r[0]) for r in _in_chunks(db, sql, list(person_ids))}
