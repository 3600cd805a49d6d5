"""What every registered annotator does, done for all of them: the functions listings,
duplicates, moves, the backup manifest, XMP sidecars and the trash call."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from core.annotations.base import Annotator, Fields, Reader
from core.catalog.db import Database
from core.catalog.records import Photo

#: Photos read per batch for listings (one query per table per batch).
BATCH = 500


def annotators() -> tuple[Annotator, ...]:
    """The registered annotators (read at call time; the registry, which imports every
    capability, is loaded on first use, not when the library opens and settles the trash)."""
    from core.annotations import registry

    return registry.ANNOTATORS


def read_annotations(db: Database, photo_ids: Iterable[int]) -> dict[int, Fields]:
    """Every annotator's fields of each photo, in registry order (every id gets an entry)."""
    ids = list(dict.fromkeys(photo_ids))
    found: dict[int, Fields] = {}
    for annotator in annotators() if ids else ():
        for photo_id, fields in annotator.read(db, ids).items():
            if photo_id in found:
                found[photo_id].update(fields)
            else:
                found[photo_id] = fields  # the first annotator's own dict: no copy
    for photo_id in ids:
        found.setdefault(photo_id, {})
    return found


def photos_as_json(db: Database, photos: Iterable[Photo]) -> Iterator[dict[str, object]]:
    """Each photo's JSON object with its annotations, streamed in batches (``ls``, ``show``, ``album``)."""
    stream = iter(photos)
    while batch := list(islice(stream, BATCH)):
        notes = read_annotations(db, (p.id for p in batch))
        for photo in batch:
            yield {**photo.to_json(), **notes[photo.id]}


def compared_fields() -> tuple[str, ...]:
    """Annotation fields the duplicates view compares, in registry order."""
    return tuple(name for annotator in annotators() for name in annotator.compared)


def merge_onto_keeper(conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> dict[str, Fields]:
    """Each annotator merges the donors onto the keeper; returns the undo records by annotator name."""
    undo: dict[str, Fields] = {}
    for annotator in annotators():
        record = annotator.merge(conn, keeper_id, donor_ids)
        if record:
            undo[annotator.name] = record
    return undo


def revert_onto_keeper(conn: sqlite3.Connection, keeper_id: int, undo: dict[str, Fields]) -> None:
    """Take back :func:`merge_onto_keeper`'s records (a record of an annotator no longer registered is skipped)."""
    by_name = {annotator.name: annotator for annotator in annotators()}
    for name, record in undo.items():
        if name in by_name:
            by_name[name].revert(conn, keeper_id, record)


def carry_over_move(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    """Give ``to_id`` everything attached to ``from_id`` (about to be deleted; a move seen in two halves)."""
    for annotator in annotators():
        annotator.carry(conn, from_id, to_id)


def labels_of(db: Reader, photo_ids: Sequence[int] | None = None) -> dict[int, dict[str, Any]]:
    """The manifest labels of labelled photos (``None``: every photo), all annotators' keys merged."""
    labels: dict[int, dict[str, Any]] = {}
    for annotator in annotators():
        for photo_id, fields in annotator.labels(db, photo_ids).items():
            entry = labels.get(photo_id)
            if entry is None:
                labels[photo_id] = fields  # the annotator's own dict: no copy (a million photos)
            else:
                entry.update(fields)
    empty = no_labels()
    for entry in labels.values():
        if not empty.keys() <= entry.keys():  # labelled by some annotators only
            for key, value in empty.items():
                entry.setdefault(key, value)
    return labels


def no_labels() -> dict[str, Any]:
    """What a photo without labels has in the manifest: each annotator's keys for "nothing"."""
    empty: dict[str, Any] = {}
    for annotator in annotators():
        empty.update(annotator.no_labels())
    return empty


def apply_labels(db: Database, photo_id: int, record: dict[str, Any]) -> None:
    """Give a photo what its manifest record (or trash snapshot) labels say, every annotator in turn."""
    for annotator in annotators():
        annotator.apply_labels(db, photo_id, record)


def labels_fingerprint(db: Database) -> str:
    """Changes whenever some annotator's manifest labels would."""
    return "\n".join(f"{annotator.name}:{annotator.fingerprint(db)}" for annotator in annotators())


def sidecar_fields(db: Database, photo_id: int) -> dict[str, Any]:
    """The XMP sidecar fields every annotator wants for one photo."""
    fields = read_annotations(db, [photo_id])[photo_id]
    wanted: dict[str, Any] = {}
    for annotator in annotators():
        wanted.update(annotator.sidecar(fields))
    return wanted
