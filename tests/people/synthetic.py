"""Generated face vectors with known persons, and a real catalog holding them as faces.

Each person is a random centre in 128-d; its faces are the centre plus Gaussian noise
whose size gives two faces of one person 0.30–0.40 apart, faces of two persons ≥ 0.7
apart. A look-alike is a second person whose centre lies so near another's that their
faces are ``lookalike`` apart (0.5–0.6) — closer than dlib's customary 0.6.
Used by tests/people and bench/people_bench.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.catalog.db import Database
from core.catalog.photos import store_media
from core.media.records import MediaInfo
from core.people.store import encode_vector

DIM = 128
MODEL = "synthetic-v1"


@dataclass(slots=True)
class People:
    """Face vectors and the true person (0…) of each; ``photos[i]`` is face i's photo number."""

    vectors: np.ndarray
    truth: np.ndarray
    photos: np.ndarray


def _noise_for(spread: float) -> float:
    """Per-dimension noise giving two faces ``spread`` apart on average."""
    return spread / np.sqrt(2 * DIM)


def generate(
    rng: np.random.Generator,
    persons: int,
    faces: tuple[int, int] = (2, 12),
    lookalikes: int = 0,
    lookalike: tuple[float, float] = (0.5, 0.6),
    group_photos: float = 0.0,
) -> People:
    """``persons`` persons (the last ``lookalikes`` of them each near an earlier one), each with a
    random number of faces in ``faces`` (inclusive); ``group_photos``: share of faces put, two to
    four at a time, in one photo with faces of other persons."""
    centres = rng.normal(size=(persons, DIM))
    centres *= 0.75 / np.linalg.norm(centres, axis=1, keepdims=True)  # centres ~1.06 apart
    spreads = rng.uniform(0.30, 0.40, size=persons)
    for person in range(persons - lookalikes, persons):
        twin = int(rng.integers(0, persons - lookalikes))
        face_gap = rng.uniform(*lookalike)
        centre_gap = np.sqrt(max(face_gap**2 - (spreads[twin] ** 2 + spreads[person] ** 2) / 2, 0.01))
        direction = rng.normal(size=DIM)
        centres[person] = centres[twin] + centre_gap * direction / np.linalg.norm(direction)
    counts = rng.integers(faces[0], faces[1] + 1, size=persons)
    truth = np.repeat(np.arange(persons), counts)
    noise = rng.normal(size=(len(truth), DIM)) * np.array([_noise_for(s) for s in spreads])[truth][:, None]
    vectors = (centres[truth] + noise).astype(np.float32)
    order = rng.permutation(len(truth))
    vectors, truth = vectors[order], truth[order]
    return People(vectors, truth, _photos(rng, truth, group_photos))


def _photos(rng: np.random.Generator, truth: np.ndarray, share: float) -> np.ndarray:
    """A photo number per face: one face a photo, except ``share`` of them grouped 2–4 a photo
    (never two faces of one person in a photo)."""
    photos = np.arange(len(truth), dtype=np.int64)
    grouped = np.flatnonzero(rng.random(len(truth)) < share).tolist()
    while len(grouped) >= 2:
        size = min(int(rng.integers(2, 5)), len(grouped))
        taken, seen = [], set()
        for i in grouped[:]:
            if truth[i] not in seen:
                taken.append(i)
                seen.add(int(truth[i]))
                grouped.remove(i)
            if len(taken) == size:
                break
        photos[taken] = photos[taken[0]]
        if len(taken) < 2:
            break
    return photos


def store(db: Database, people: People, model: str = MODEL) -> list[int]:
    """Catalogue one photo per photo number and one auto face per vector; returns the face ids."""
    numbers = sorted(set(people.photos.tolist()))
    store_media(db, None, [
        MediaInfo(path=f"/synthetic/p{n:07d}.jpg", size=1, mtime_ns=1, sha256=f"s{n}", format="jpeg", kind="photo")
        for n in numbers
    ])  # fmt: skip
    photo_ids = {
        int(r[0][len("/synthetic/p") : -4]): r[1]
        for r in db.query("SELECT path, id FROM photos WHERE path LIKE '/synthetic/%'")
    }
    with db.transaction() as conn:
        first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM faces").fetchone()[0]
        conn.executemany(
            "INSERT INTO faces (id, photo_id, model, x, y, w, h, score, vector) VALUES (?, ?, ?, ?, 0, 100, 100, 1.0, ?)",
            [
                (first + i, photo_ids[int(p)], model, 100 * i, encode_vector(v))
                for i, (p, v) in enumerate(zip(people.photos, people.vectors))
            ],
        )
    return list(range(first, first + len(people.truth)))
