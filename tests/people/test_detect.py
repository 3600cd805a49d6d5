"""The face model on the corpus' real portraits: boxes in upright original pixels, and
embeddings that put two photos of one person closer than photos of two people."""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.media.records import UnreadableMedia
from core.people.detect import find_faces
from core.people.model import DLIB_MODEL_ID, default_model


@pytest.fixture(scope="module")
def truth(corpus: Path) -> dict[Path, list[str]]:
    with open(corpus / "faces_truth.tsv", newline="") as handle:
        return {corpus / row["path"]: row["people"].split(",") for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture(scope="module")
def found(truth):
    model = default_model()
    return {path: find_faces(path, model) for path in truth}


def test_every_photo_has_at_least_its_people_and_boxes_lie_inside(truth, found) -> None:
    for path, people in truth.items():
        result = found[path]
        assert len(result.faces) >= len(people), path.name
        with Image.open(path) as image:
            assert (result.width, result.height) == image.size
        for face in result.faces:
            assert face.box.x >= 0 and face.box.y >= 0 and face.vector.shape == (128,)
            assert face.box.x + face.box.w <= result.width and face.box.y + face.box.h <= result.height


def test_one_persons_photos_are_nearer_than_two_peoples(truth, found) -> None:
    singles = [(people[0], found[path].faces[0].vector) for path, people in truth.items() if len(people) == 1]
    same = [np.linalg.norm(a - b) for (p, a), (q, b) in combinations(singles, 2) if p == q]
    other = [np.linalg.norm(a - b) for (p, a), (q, b) in combinations(singles, 2) if p != q]
    assert same and other
    assert max(same) < 0.5 < min(other)  # measured: same ≤ 0.40, different ≥ 0.78


def test_a_rotated_copy_gets_an_upright_box(truth, tmp_path: Path) -> None:
    source = next(path for path, people in truth.items() if people == ["obama"])
    with Image.open(source) as image:
        upright_size = image.size
        exif = Image.Exif()
        exif[0x0112] = 6  # stored turned: the viewer rotates 90° clockwise
        rotated = tmp_path / "turned.jpg"
        image.rotate(90, expand=True).save(rotated, exif=exif, quality=92)
    result = find_faces(rotated, default_model())
    assert (result.width, result.height) == upright_size and len(result.faces) == 1
    box = result.faces[0].box
    assert box.h <= box.w * 1.2 and box.y < upright_size[1] / 2  # a face, upright, in the top half


def test_an_empty_or_corrupt_file_is_refused_with_its_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"not a jpeg" * 50)
    with pytest.raises(UnreadableMedia, match="empty"):
        find_faces(empty, default_model())
    with pytest.raises(UnreadableMedia):
        find_faces(broken, default_model())
    assert default_model().model_id == DLIB_MODEL_ID
