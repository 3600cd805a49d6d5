"""Clustering faces into persons: speed at 100,000 faces, and accuracy after naming one face per person.

Generated vectors (tests/people/synthetic.py): persons as random centres in 128-d, two faces
of one person 0.30–0.40 apart, of two persons ≥ 0.7; look-alikes are persons whose faces
lie 0.5–0.6 from another's (closer than dlib's customary 0.6). Everything runs on a real
catalog in a temporary folder.

- match: 1,000 new faces against 100,000 already in persons — in memory (the arithmetic of
  core/people/grouping.py) and through ``cluster_new_faces`` (read, place, write). Target ≤ 1 s.
- recluster: ``recluster`` of 100,000 faces from scratch. Target ≤ 60 s.
- accuracy: cluster, then name one face per person the way a user would — the face itself
  (``assign_face``), or its whole unnamed group (``name_person``; assigning the face when its
  group already has another name or it has none); the share of faces carrying their own
  person's name (target ≥ 95 %) and another's (≤ 1 %).

Run: ``PYTHONPATH=. python bench/people_bench.py [--faces 100000] [--seeds 1 2 3]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.library import Library  # noqa: E402
from core.people import assign_face, cluster_new_faces, get_face, list_faces, name_person, recluster  # noqa: E402
from core.people.clustering import _groups_of, _load, _members  # noqa: E402
from tests.people import synthetic  # noqa: E402


def _big_set(seed: int, faces: int) -> synthetic.People:
    """About ``faces`` faces: persons with 1–60 faces each, 10 % look-alikes, 15 % in group photos."""
    persons = max(2, faces // 30)
    people = synthetic.generate(np.random.default_rng(seed), persons, (1, 59), lookalikes=persons // 10,
                                group_photos=0.15)  # fmt: skip
    return people


def bench_speed(faces: int, seed: int) -> None:
    people = _big_set(seed, faces + 1000)
    known = synthetic.People(people.vectors[:-1000], people.truth[:-1000], people.photos[:-1000])
    new = synthetic.People(people.vectors[-1000:], people.truth[-1000:], people.photos[-1000:] + 10**7)
    with tempfile.TemporaryDirectory() as folder, Library.open(Path(folder) / "library") as library:
        db = library.db
        started = time.perf_counter()
        synthetic.store(db, known)
        print(f"stored {len(known.truth):,} faces in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        stats = recluster(db, synthetic.MODEL)
        print(f"recluster {len(known.truth):,} faces: {time.perf_counter() - started:.1f} s (target ≤ 60 s) — "
              f"{stats.new_persons:,} persons, {stats.left_alone:,} faces left alone")  # fmt: skip
        synthetic.store(db, new)
        loaded = _load(db, synthetic.MODEL)
        groups, _ = _groups_of(loaded, _members(loaded, loaded.persons >= 0))
        waiting = np.flatnonzero(loaded.persons < 0)
        started = time.perf_counter()
        groups.match(waiting)
        print(f"match 1,000 new faces against {int((loaded.persons >= 0).sum()):,} known in memory: "
              f"{time.perf_counter() - started:.2f} s (target ≤ 1 s)")  # fmt: skip
        started = time.perf_counter()
        stats = cluster_new_faces(db, synthetic.MODEL)
        print(f"cluster_new_faces (read {len(loaded.ids):,} vectors, place 1,000, write): "
              f"{time.perf_counter() - started:.2f} s — {stats.joined} joined, {stats.new_persons} new persons, "
              f"{stats.left_alone} left alone")  # fmt: skip


def bench_accuracy(seed: int, persons: int, by_group: bool) -> tuple[float, float]:
    """(right, wrong) shares of faces after clustering and naming one face per person: the face
    itself (assign), or — ``by_group`` — its whole unnamed group (name) when it is in one."""
    rng = np.random.default_rng(seed)
    people = synthetic.generate(rng, persons, (1, 40), lookalikes=persons // 5, lookalike=(0.5, 0.6),
                                group_photos=0.2)  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, Library.open(Path(folder) / "library") as library:
        db = library.db
        ids = synthetic.store(db, people)
        cluster_new_faces(db, synthetic.MODEL)
        for truth in range(persons):
            face = get_face(db, ids[int(rng.choice(np.flatnonzero(people.truth == truth)))])
            if by_group and face.person_id is not None and face.person is None:
                name_person(db, face.person_id, f"P{truth}")
            elif face.person != f"P{truth}":
                assign_face(db, face.id, f"P{truth}")
        names = {f.id: f.person for f in list_faces(db)}
        expected = {face_id: f"P{truth}" for face_id, truth in zip(ids, people.truth.tolist(), strict=True)}
        right = sum(names[i] == expected[i] for i in ids) / len(ids)
        wrong = sum(names[i] is not None and names[i] != expected[i] for i in ids) / len(ids)
        print(f"{'group' if by_group else 'face'} naming, seed {seed}: {persons} persons ({persons // 5} look-alikes), {len(ids):,} faces: "
              f"right name {right:.1%}, wrong name {wrong:.2%}, no name {max(0.0, 1 - right - wrong):.1%}")  # fmt: skip
        return right, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--persons", type=int, default=400, help="persons in each accuracy set")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not args.skip_speed:
        bench_speed(args.faces, args.seeds[0])
    for by_group in (False, True):
        results = [bench_accuracy(seed, args.persons, by_group) for seed in args.seeds]
        print(f"{'group' if by_group else 'face'} naming over {len(results)} sets: right ≥ "
              f"{min(r for r, _ in results):.1%} (target ≥ 95 %), wrong ≤ {max(w for _, w in results):.2%} "
              "(target ≤ 1 %)")  # fmt: skip


if __name__ == "__main__":
    main()
