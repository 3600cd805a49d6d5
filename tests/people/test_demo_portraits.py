"""The demo's drawn portraits, written as the demo writes them and read by the real face
model: every face is found, one person's photos are near each other and different
persons' far apart — far enough that the grouping keeps them apart."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.demo.cast import PERSONS, STRANGER
from core.demo.library import make_demo_portraits
from core.people.detect import FacesOfPhoto, find_faces
from core.people.model import default_model

#: Measured on these drawings (bench/demo_faces_bench.py): same person <= 0.30, different >= 0.61.
SAME_PERSON_BELOW = 0.5
DIFFERENT_PERSONS_ABOVE = 0.6


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, tuple[str, ...]]]:
    return make_demo_portraits(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def found(written) -> dict[Path, FacesOfPhoto]:
    model = default_model()
    return {path: find_faces(path, model) for path, _people in written}


@pytest.fixture(scope="module")
def labelled(written, found) -> list[tuple[str, np.ndarray]]:
    """(person, vector) of every face, the faces of a photo matched to its people left to right."""
    pairs = []
    for path, people in written:
        faces = sorted(found[path].faces, key=lambda face: face.box.x)
        pairs += [(person, face.vector) for person, face in zip(people, faces)]
    return pairs


def test_the_demo_has_persons_seen_often_a_photo_of_two_and_a_stranger(written) -> None:
    seen = Counter(person for _path, people in written for person in people)
    assert all(seen[sitter.name] >= 3 for sitter in PERSONS) and len(PERSONS) >= 3
    assert seen[STRANGER.name] == 1
    assert sum(len(people) == 2 for _path, people in written) == 1
    for path, _people in written:
        with Image.open(path) as image:
            assert image.format == "JPEG" and image.getexif().get_ifd(0x8769).get(0x9003)  # dated, like a camera's


def test_every_drawn_face_is_found_once_inside_its_photo(written, found) -> None:
    for path, people in written:
        result = found[path]
        assert len(result.faces) == len(people), path.name
        for face in result.faces:
            assert face.box.x >= 0 and face.box.y >= 0 and face.vector.shape == (128,)
            assert face.box.x + face.box.w <= result.width and face.box.y + face.box.h <= result.height


def test_one_persons_photos_are_near_and_different_persons_far(labelled) -> None:
    same = [float(np.linalg.norm(a - b)) for (p, a), (q, b) in combinations(labelled, 2) if p == q]
    other = [float(np.linalg.norm(a - b)) for (p, a), (q, b) in combinations(labelled, 2) if p != q]
    assert same and other
    assert max(same) < SAME_PERSON_BELOW
    assert min(other) > DIFFERENT_PERSONS_ABOVE
