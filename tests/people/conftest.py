"""People fixtures: a library holding generated face vectors, and the corpus portraits embedded once."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from core.catalog.db import Database
from core.catalog.photos import get_photo_by_path, store_media
from core.library import Library
from core.media.records import MediaInfo
from core.people.detect import FacesOfPhoto, find_faces
from core.people.model import default_model
from core.people.store import encode_vector
from tests.people import synthetic


@pytest.fixture(scope="session")
def corpus_truth(corpus: Path) -> dict[Path, list[str]]:
    """Each portrait of ``faces_truth.tsv`` and the persons it shows."""
    with open(corpus / "faces_truth.tsv", newline="") as handle:
        return {corpus / row["path"]: row["people"].split(",") for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture(scope="session")
def corpus_faces(corpus_truth) -> dict[Path, FacesOfPhoto]:
    """The model's faces of every portrait (embedded once per test session: ~0.3 s a face)."""
    model = default_model()
    return {path: find_faces(path, model) for path in corpus_truth}


def store_found(db: Database, found: dict[Path, FacesOfPhoto], model: str) -> dict[Path, list[int]]:
    """Catalogue the portraits (in place) and their faces as automatic, unassigned; face ids per photo."""
    store_media(db, None, [
        MediaInfo(path=str(path), size=path.stat().st_size, mtime_ns=path.stat().st_mtime_ns, sha256=path.name,
                  format="jpeg", kind="photo")
        for path in found
    ])  # fmt: skip
    ids: dict[Path, list[int]] = {}
    with db.transaction() as conn:
        for path, result in found.items():
            photo_id = get_photo_by_path(db, str(path)).id
            ids[path] = [
                int(conn.execute(
                    "INSERT INTO faces (photo_id, model, x, y, w, h, score, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (photo_id, model, f.box.x, f.box.y, f.box.w, f.box.h, f.score, encode_vector(f.vector)),
                ).lastrowid)
                for f in result.faces
            ]  # fmt: skip
    return ids


def people_state(db: Database) -> dict[str, list[tuple]]:
    """Every row of the people tables a correction may change, to compare before and after."""
    return {
        "faces": [tuple(r) for r in db.query("SELECT id, person_id, source, distance FROM faces ORDER BY id")],
        "persons": [
            tuple(r) for r in db.query("SELECT id, name, hidden, avatar_face_id, created_at FROM persons ORDER BY id")
        ],
        "rejections": [tuple(r) for r in db.query("SELECT face_id, person_id FROM face_rejections ORDER BY 1, 2")],
    }


@pytest.fixture
def generated(library: Library) -> tuple[Library, synthetic.People, list[int]]:
    """A library with 40 generated persons (8 of them look-alikes of others), 2–10 faces each,
    a fifth of the faces in group photos; all automatic and unassigned."""
    people = synthetic.generate(np.random.default_rng(7), 40, (2, 10), lookalikes=8, group_photos=0.2)
    return library, people, synthetic.store(library.db, people)
