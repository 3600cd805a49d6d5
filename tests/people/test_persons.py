"""Clustering faces into persons: on generated vectors with look-alikes, and on the corpus portraits."""

from __future__ import annotations

from collections import Counter

import numpy as np

from core.people import (
    assign_face,
    cluster_new_faces,
    get_face,
    list_faces,
    list_persons,
    name_person,
    recluster,
    reject_face,
)  # fmt: skip
from core.people.model import DLIB_MODEL_ID
from tests.people import synthetic
from tests.people.conftest import people_state, store_found


def _persons_of(db, face_ids: list[int]) -> list[int | None]:
    return [get_face(db, i).person_id for i in face_ids]


def _no_photo_twice(db) -> None:
    pairs = db.query(
        "SELECT photo_id, person_id, count(*) FROM faces WHERE person_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1"
    )
    assert pairs == []


def test_generated_persons_come_out_whole_and_apart(generated) -> None:
    library, people, ids = generated
    stats = cluster_new_faces(library.db, synthetic.MODEL)
    persons = _persons_of(library.db, ids)
    groups: dict[int, list[int]] = {}
    for truth, person in zip(people.truth.tolist(), persons, strict=True):
        if person is not None:
            groups.setdefault(person, []).append(truth)
    pure = sum(max(Counter(members).values()) for members in groups.values())
    assigned = sum(len(members) for members in groups.values())
    assert pure / assigned >= 0.97 and assigned / len(ids) >= 0.95
    assert stats.new_persons == len(groups) and stats.joined == 0
    split = Counter(t for t in {(t, p) for t, p in zip(people.truth.tolist(), persons, strict=True) if p is not None})
    assert sum(1 for n in split.values() if n > 1) <= 2  # a person is (nearly always) one group
    _no_photo_twice(library.db)
    faces = list_faces(library.db)
    assert all(f.distance is not None and 0 <= f.distance <= 0.5 for f in faces if f.person_id is not None)


def test_two_faces_of_one_photo_are_never_one_person(library) -> None:
    rng = np.random.default_rng(3)
    centre = rng.normal(size=synthetic.DIM) * 0.07
    vectors = np.vstack([centre + rng.normal(size=synthetic.DIM) * 0.01 for _ in range(4)]).astype(np.float32)
    people = synthetic.People(vectors, np.zeros(4, dtype=np.int64), np.array([0, 0, 1, 1]))  # a mirror selfie, twice
    ids = synthetic.store(library.db, people)
    cluster_new_faces(library.db, synthetic.MODEL)
    _no_photo_twice(library.db)
    persons = _persons_of(library.db, ids)
    assert persons[0] != persons[1] and persons[2] != persons[3]
    recluster(library.db, synthetic.MODEL)
    _no_photo_twice(library.db)


def test_named_faces_are_anchors_for_the_rest(generated) -> None:
    library, people, ids = generated
    firsts = {int(t): ids[i] for i, t in reversed(list(enumerate(people.truth.tolist())))}
    for truth, face_id in firsts.items():
        assign_face(library.db, face_id, f"P{truth}")
    cluster_new_faces(library.db, synthetic.MODEL)  # naming placed them already: nothing is left
    named = [get_face(library.db, i).person for i in ids]
    right = sum(1 for n, t in zip(named, people.truth.tolist(), strict=True) if n == f"P{t}")
    wrong = sum(1 for n, t in zip(named, people.truth.tolist(), strict=True) if n is not None and n != f"P{t}")
    assert right / len(ids) >= 0.95 and wrong / len(ids) <= 0.01
    assert all(get_face(library.db, i).source == "manual" for i in firsts.values())


def test_new_faces_join_the_persons_they_belong_to(library) -> None:
    rng = np.random.default_rng(11)
    people = synthetic.generate(rng, 12, (6, 8))
    half = len(people.truth) // 2
    first = synthetic.People(people.vectors[:half], people.truth[:half], people.photos[:half])
    later = synthetic.People(people.vectors[half:], people.truth[half:], people.photos[half:])
    first_ids = synthetic.store(library.db, first)
    cluster_new_faces(library.db, synthetic.MODEL)
    person_of_truth = {int(t): p for t, p in zip(first.truth.tolist(), _persons_of(library.db, first_ids), strict=True)
                       if p is not None}  # fmt: skip
    later_ids = synthetic.store(library.db, later)
    stats = cluster_new_faces(library.db, synthetic.MODEL)
    known = [i for i, t in enumerate(later.truth.tolist()) if t in person_of_truth]  # the others form new persons
    assert stats.joined >= 0.9 * len(known) and stats.new_persons == len(
        set(later.truth.tolist()) - set(person_of_truth)
    )
    assert all(get_face(library.db, i).person_id is not None for i in first_ids)  # a face left alone found its match
    joined = _persons_of(library.db, later_ids)
    assert sum(joined[i] == person_of_truth[int(later.truth[i])] for i in known) >= 0.9 * len(known)


def test_recluster_keeps_manual_faces_names_and_rejections(generated) -> None:
    library, people, ids = generated
    db = library.db
    cluster_new_faces(db, synthetic.MODEL)
    persons = _persons_of(db, ids)
    named = persons[0]
    name_person(db, named, "Ann")
    manual = ids[1]
    assign_face(db, manual, "Bea")
    rejected = next(i for i, p in zip(ids[1:], _persons_of(db, ids[1:]), strict=True) if p == named)
    reject_face(db, rejected)
    before_ann = {i for i, p in zip(ids, _persons_of(db, ids), strict=True) if p == named}
    recluster(db, synthetic.MODEL)
    after = {f.id: f for f in list_faces(db)}
    assert after[manual].person == "Bea" and after[manual].source == "manual"
    assert after[rejected].person_id != named
    ann = {i for i, f in after.items() if f.person_id == named}
    assert after[ids[0]].person == "Ann" and len(ann & before_ann) >= 0.9 * len(before_ann)
    names = {p.name for p in list_persons(db)}
    assert {"Ann", "Bea"} <= names
    _no_photo_twice(db)
    assert db.scalar("SELECT count(*) FROM people_undo") == 0  # recluster starts a new undo history


def test_recluster_twice_changes_nothing(generated) -> None:
    library, _people, _ids = generated
    recluster(library.db, synthetic.MODEL)
    once = people_state(library.db)
    recluster(library.db, synthetic.MODEL)
    assert people_state(library.db) == once


def test_a_rejection_is_never_undone_by_clustering(library) -> None:
    rng = np.random.default_rng(5)
    people = synthetic.generate(rng, 3, (5, 5))
    ids = synthetic.store(library.db, people)
    cluster_new_faces(library.db, synthetic.MODEL)
    face = ids[0]
    person = get_face(library.db, face).person_id
    name_person(library.db, person, "Cy")
    reject_face(library.db, face)
    cluster_new_faces(library.db, synthetic.MODEL)
    assert get_face(library.db, face).person_id != person
    recluster(library.db, synthetic.MODEL)
    assert get_face(library.db, face).person != "Cy"


# --- the corpus portraits, through the real face model ----------------------------------------


def _named(db, ids: dict) -> dict:
    return {path: sorted(filter(None, (get_face(db, i).person for i in face_ids))) for path, face_ids in ids.items()}


def test_corpus_naming_one_photo_per_person_names_the_others(library, corpus_faces, corpus_truth) -> None:
    db = library.db
    ids = store_found(db, corpus_faces, DLIB_MODEL_ID)
    cluster_new_faces(db, DLIB_MODEL_ID)
    singles = {p: people[0] for p, people in corpus_truth.items() if len(people) == 1}
    counts = Counter(singles.values())
    strangers = {n for n, c in counts.items() if c == 1}  # one photo: never named, so a stranger
    named_photo: dict[str, object] = {}
    for path, person in singles.items():
        if person not in strangers and person not in named_photo:
            named_photo[person] = path
            face = get_face(db, ids[path][0])
            if face.person_id is not None:
                name_person(db, face.person_id, person.title())
            else:
                assign_face(db, face.id, person.title())
    _check_corpus_names(db, ids, corpus_truth, strangers)
    recluster(db, DLIB_MODEL_ID)
    _check_corpus_names(db, ids, corpus_truth, strangers)


def test_corpus_faces_named_before_clustering_pull_in_the_others(library, corpus_faces, corpus_truth) -> None:
    db = library.db
    ids = store_found(db, corpus_faces, DLIB_MODEL_ID)
    done: set[str] = set()
    strangers = {n for n, c in Counter(p[0] for p in corpus_truth.values() if len(p) == 1).items() if c == 1}
    for path, people in corpus_truth.items():
        if len(people) == 1 and people[0] not in strangers and people[0] not in done:
            assign_face(db, ids[path][0], people[0].title())
            done.add(people[0])
    cluster_new_faces(db, DLIB_MODEL_ID)
    _check_corpus_names(db, ids, corpus_truth, strangers)
    rejected_path = next(p for p, people in corpus_truth.items() if people == ["obama"] and
                         get_face(db, ids[p][0]).source == "auto")  # fmt: skip
    reject_face(db, ids[rejected_path][0])
    recluster(db, DLIB_MODEL_ID)
    assert get_face(db, ids[rejected_path][0]).person != "Obama"  # the reject survives recluster


def _check_corpus_names(db, ids, corpus_truth, strangers) -> None:
    names = _named(db, ids)
    for path, people in corpus_truth.items():
        expected = sorted(p.title() for p in people if p not in strangers)
        assert names[path] == expected, path.name
    _no_photo_twice(db)
