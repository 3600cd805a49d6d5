"""How well dlib's model reads the demo's drawn portraits (core.demo.cast).

Prints the time to draw the photos, how many faces were found against how many are in
them, and the distances between the faces' vectors: within one person (should be well
under the grouping's 0.45/0.5) and between persons (should be well over it), the nearest
pair of persons, and the table of nearest distances person by person.

Run: ``PYTHONPATH=$PWD python bench/demo_faces_bench.py``
"""

from __future__ import annotations

import time
from itertools import combinations

import numpy as np

from core.demo.cast import DemoPortrait, demo_portraits
from core.people.detect import faces_in_image
from core.people.model import default_model


def labelled_vectors(photos: list[DemoPortrait]) -> tuple[list[tuple[str, np.ndarray]], int, int]:
    """(person, vector) of every face found, matched to the truth left to right; faces found; faces expected."""
    model = default_model()
    labelled, found, expected = [], 0, 0
    for photo in photos:
        faces = sorted(faces_in_image(photo.image, photo.image.size, model), key=lambda face: face.box.x)
        found += len(faces)
        expected += len(photo.people)
        if len(faces) == len(photo.people):
            labelled += [(person, face.vector) for person, face in zip(photo.people, faces)]
    return labelled, found, expected


def distance_table(labelled: list[tuple[str, np.ndarray]]) -> dict[tuple[str, str], list[float]]:
    """All distances between faces, by (person, person) pair (sorted names)."""
    table: dict[tuple[str, str], list[float]] = {}
    for (p, a), (q, b) in combinations(labelled, 2):
        key = (p, q) if p <= q else (q, p)
        table.setdefault(key, []).append(float(np.linalg.norm(a - b)))
    return table


def main() -> None:
    started = time.perf_counter()
    photos = demo_portraits()
    drawn = time.perf_counter() - started
    started = time.perf_counter()
    labelled, found, expected = labelled_vectors(photos)
    scanned = time.perf_counter() - started
    print(f"{len(photos)} photos drawn in {drawn:.1f} s; faces found {found} of {expected} in {scanned:.1f} s")
    table = distance_table(labelled)
    same = [d for (p, q), ds in table.items() if p == q for d in ds]
    other = {key: min(ds) for key, ds in table.items() if key[0] != key[1]}
    print(f"same person: max {max(same):.3f}, mean {np.mean(same):.3f}")
    nearest = min(other, key=other.__getitem__)
    print(
        f"different persons: min {other[nearest]:.3f} ({nearest[0]} and {nearest[1]}), mean of minima {np.mean(list(other.values())):.3f}"
    )
    names = sorted({person for person, _ in labelled})
    print("nearest faces, person by person:")
    for p in names:
        row = [min(table.get((p, q) if p <= q else (q, p), [float("nan")])) for q in names]
        print(f"  {p:6}" + "".join(f"{d:6.2f}" for d in row))


if __name__ == "__main__":
    main()
