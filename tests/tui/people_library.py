"""A library of generated photos with faces in them, for the people pane's tests.

Each photo is a Pillow drawing: a plain background and, for each face, a face-like oval
(skin colour per person, two eyes, a mouth) at a known box. The faces are stored with
generated 128-d vectors (each person's faces ~0.3 apart, persons ~1 apart) and grouped by
:func:`core.people.cluster_new_faces`, as a scan would leave them. Same pixels every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root
from core.demo.pictures import Shot, exif_for
from core.indexing.indexer import index_library
from core.library import Library
from core.people import Box, cluster_new_faces, list_persons
from core.people.store import encode_vector

MODEL = "synthetic-v1"
#: Skin and background colour of each generated person's photos.
SKIN = {"A": (224, 172, 140), "B": (140, 96, 70), "C": (250, 214, 190)}
BACKGROUND = {"A": (40, 90, 160), "B": (60, 140, 70), "C": (170, 60, 60), "AB": (120, 120, 120)}
#: (file name, EXIF date, the persons in it left to right)
PHOTOS = (
    ("a1.jpg", "2020:01:01 10:00:00", "A"), ("a2.jpg", "2020:01:02 10:00:00", "A"), ("a3.jpg", "2020:01:03 10:00:00", "A"),
    ("b1.jpg", "2020:02:01 10:00:00", "B"), ("b2.jpg", "2020:02:02 10:00:00", "B"), ("b3.jpg", "2020:02:03 10:00:00", "B"),
    ("c1.jpg", "2020:03:01 10:00:00", "C"), ("c2.jpg", "2020:03:02 10:00:00", "C"),
    ("ab.jpg", "2020:04:01 10:00:00", "AB"),
)  # fmt: skip
WIDTH, HEIGHT = 240, 160


@dataclass
class PeopleLibrary:
    library: Library
    faces: dict[str, list[int]]  # "A" -> face ids of person A's faces (by photo order)
    photos: dict[str, int]  # file name -> photo id

    @property
    def db(self):  # type: ignore[no-untyped-def]
        return self.library.db

    def person_of(self, letter: str) -> int:
        """The id of the person the faces of ``letter`` were grouped into."""
        row = self.db.scalar("SELECT person_id FROM faces WHERE id = ?", (self.faces[letter][0],))
        assert row is not None
        return int(row)


def face_boxes(persons: str) -> list[Box]:
    """Where the faces of a photo are: one in the middle, or side by side."""
    if len(persons) == 1:
        return [Box(90, 30, 60, 80)]
    return [Box(30 + i * 110, 30, 60, 80) for i in range(len(persons))]


def draw_photo(persons: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND[persons])
    draw = ImageDraw.Draw(image)
    for letter, box in zip(persons, face_boxes(persons)):
        draw.ellipse((box.x, box.y, box.x + box.w, box.y + box.h), fill=SKIN[letter])
        for eye_x in (box.x + box.w * 0.3, box.x + box.w * 0.7):
            draw.ellipse((eye_x - 5, box.y + box.h * 0.35 - 4, eye_x + 5, box.y + box.h * 0.35 + 4), fill=(30, 30, 30))
        draw.rectangle(
            (box.x + box.w * 0.3, box.y + box.h * 0.7, box.x + box.w * 0.7, box.y + box.h * 0.76), fill=(150, 40, 40)
        )
    return image


def vectors_for(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` faces of one person: a random centre, each face ~0.3 from another."""
    centre = rng.normal(size=128)
    centre *= 0.75 / np.linalg.norm(centre)
    return (centre + rng.normal(size=(count, 128)) * (0.3 / np.sqrt(256))).astype(np.float32)


def build_people_library(home: Path) -> PeopleLibrary:
    pictures = home / "Pictures" / "people"
    pictures.mkdir(parents=True)
    for name, when, persons in PHOTOS:
        draw_photo(persons).save(pictures / name, "JPEG", quality=90, exif=exif_for(Shot(taken_at=when)).tobytes())
    library = Library.open(home / "library")
    add_root(library.db, str(home / "Pictures"))
    index_library(library, workers=1)
    rng = np.random.default_rng(11)
    counts = {letter: sum(letter in persons for _, _, persons in PHOTOS) for letter in SKIN}
    vectors = {letter: list(vectors_for(rng, count)) for letter, count in counts.items()}
    faces: dict[str, list[int]] = {letter: [] for letter in SKIN}
    photos: dict[str, int] = {}
    with library.db.transaction() as conn:
        for name, _when, persons in PHOTOS:
            photo_id = get_photo_by_path(library.db, str(pictures / name)).id
            photos[name] = photo_id
            for letter, box in zip(persons, face_boxes(persons)):
                faces[letter].append(int(conn.execute(
                    "INSERT INTO faces (photo_id, model, x, y, w, h, score, vector) VALUES (?, ?, ?, ?, ?, ?, 1.0, ?)",
                    (photo_id, MODEL, box.x, box.y, box.w, box.h, encode_vector(vectors[letter].pop(0))),
                ).lastrowid))  # fmt: skip
    cluster_new_faces(library.db, MODEL)
    assert len(list_persons(library.db)) == 3, "the generated faces should group into three persons"
    return PeopleLibrary(library, faces, photos)


@pytest.fixture
def people_library(home: Path) -> PeopleLibrary:
    """Nine generated photos of three persons (A in four, B in four, C in two; A and B together in one), grouped, unnamed."""
    built = build_people_library(home)
    yield built
    built.library.close()
