"""Corrections: each does what it says, keeps the hard rules, and undo takes it back exactly."""

from __future__ import annotations

import numpy as np
import pytest

from core.people import (
    PeopleError,
    UnknownPeopleId,
    assign_face,
    cluster_new_faces,
    confirm_face,
    find_person,
    get_face,
    get_person,
    hide_person,
    list_faces,
    list_persons,
    merge_persons,
    name_person,
    reject_face,
    set_avatar,
    suggestions,
    undo_last,
)  # fmt: skip
from core.people.model import DLIB_MODEL_ID
from tests.people import synthetic
from tests.people.conftest import people_state, store_found


@pytest.fixture
def clustered(library):
    """Six generated persons (one a look-alike), 4–6 faces each, some group photos, clustered."""
    people = synthetic.generate(np.random.default_rng(21), 6, (4, 6), lookalikes=1, group_photos=0.3)
    ids = synthetic.store(library.db, people)
    cluster_new_faces(library.db, synthetic.MODEL)
    return library.db, people, ids


def _groups(db) -> list[int]:
    return [p.id for p in list_persons(db, include_hidden=True)]


def _undoes_exactly(db, change) -> object:
    before = people_state(db)
    result = change()
    assert people_state(db) != before
    assert undo_last(db) is not None
    assert people_state(db) == before
    return result


def test_naming_and_renaming_undo(clustered) -> None:
    db, _people, _ids = clustered
    person = _groups(db)[0]
    _undoes_exactly(db, lambda: name_person(db, person, "  Dora   Maar "))
    name_person(db, person, "Dora Maar")
    assert get_person(db, person).name == "Dora Maar" and find_person(db, "dora maar") == person
    _undoes_exactly(db, lambda: name_person(db, person, "Dora"))
    assert name_person(db, person, "DORA MAAR") == person  # a new case of its own name is a rename


def test_a_name_another_person_has_merges_and_undo_splits_them_again(clustered) -> None:
    db, _people, _ids = clustered
    first, second = _groups(db)[:2]
    name_person(db, first, "Eve")
    faces_first = {f.id for f in list_faces(db, person_id=first)}
    faces_second = {f.id for f in list_faces(db, person_id=second)}
    survivor = _undoes_exactly(db, lambda: name_person(db, second, "eve"))
    assert survivor == first
    assert name_person(db, second, "Eve") == first
    assert get_person(db, second) is None
    assert {f.id for f in list_faces(db, person_id=first)} >= faces_first | (
        faces_second - _shared_photo_faces(db, faces_second, faces_first)
    )
    undo_last(db)
    assert {f.id for f in list_faces(db, person_id=second)} == faces_second


def _shared_photo_faces(db, faces: set[int], others: set[int]) -> set[int]:
    photos = {get_face(db, i).photo_id for i in others}
    return {i for i in faces if get_face(db, i).photo_id in photos}


def test_merge_moves_every_face_and_rejection_and_undo_restores_them(clustered) -> None:
    db, _people, _ids = clustered
    source, target = _groups(db)[:2]
    moved = list_faces(db, person_id=source)[0].id
    reject_face(db, list_faces(db, person_id=source)[0].id)
    assert _undoes_exactly(db, lambda: merge_persons(db, source, target)) == target
    merge_persons(db, source, target)
    assert get_person(db, source) is None
    assert db.query("SELECT person_id FROM face_rejections WHERE face_id = ?", (moved,))[0][0] == target
    with pytest.raises(PeopleError, match="itself"):
        merge_persons(db, target, target)
    with pytest.raises(UnknownPeopleId):
        merge_persons(db, 99999, target)


def test_assign_creates_the_person_and_is_manual(clustered) -> None:
    db, _people, ids = clustered
    face = ids[0]
    person = _undoes_exactly(db, lambda: assign_face(db, face, "Fay"))
    assert find_person(db, "Fay") is None  # undo removed the person it created
    person = assign_face(db, face, "Fay")
    record = get_face(db, face)
    assert (
        record.person_id == person and record.person == "Fay" and record.source == "manual" and record.distance is None
    )
    other = next(i for i in ids if get_face(db, i).person_id not in (None, person))
    _undoes_exactly(db, lambda: assign_face(db, other, "fay"))  # an existing name, any case


def test_assign_detaches_an_automatic_face_of_the_same_photo_and_refuses_a_manual_one(library) -> None:
    rng = np.random.default_rng(4)
    people = synthetic.generate(rng, 2, (3, 3))
    people.photos[:] = [0, 0, 1, 2, 3, 4]  # faces 0 and 1 share a photo
    ids = synthetic.store(library.db, people)
    db = library.db
    assign_face(db, ids[0], "Gus")
    with pytest.raises(PeopleError, match="already 'Gus'"):
        assign_face(db, ids[1], "Gus")
    db.execute("UPDATE faces SET source = 'auto' WHERE id = ?", (ids[0],))
    _undoes_exactly(db, lambda: assign_face(db, ids[1], "Gus"))
    assign_face(db, ids[1], "Gus")
    assert get_face(db, ids[0]).person_id is None and get_face(db, ids[1]).person == "Gus"


def test_confirm_reject_hide_avatar_each_undo(clustered) -> None:
    db, _people, _ids = clustered
    person = _groups(db)[0]
    face = list_faces(db, person_id=person)[-1]
    _undoes_exactly(db, lambda: confirm_face(db, face.id))
    _undoes_exactly(db, lambda: reject_face(db, face.id))
    _undoes_exactly(db, lambda: hide_person(db, person))
    _undoes_exactly(db, lambda: set_avatar(db, face.id))
    reject_face(db, face.id)
    assert get_face(db, face.id).person_id is None
    assert db.query("SELECT person_id FROM face_rejections WHERE face_id = ?", (face.id,))[0][0] == person
    cluster_new_faces(db, synthetic.MODEL)
    assert get_face(db, face.id).person_id != person
    hide_person(db, person)
    assert person not in [p.id for p in list_persons(db)] and get_person(db, person).hidden
    hide_person(db, person, hidden=False)
    other = list_faces(db, person_id=person)[0]
    set_avatar(db, other.id)
    assert get_person(db, person).avatar_face_id == other.id and get_face(db, other.id).source == "manual"


def test_rejecting_a_face_that_is_in_no_person_or_unknown_ids_say_so(clustered) -> None:
    db, _people, ids = clustered
    loose = ids[0]
    reject_face(db, loose)
    with pytest.raises(PeopleError, match="not in any person"):
        reject_face(db, loose)
    with pytest.raises(PeopleError, match="not in any person"):
        confirm_face(db, loose)
    for change in (lambda: reject_face(db, 10**9), lambda: assign_face(db, 10**9, "X"),
                   lambda: name_person(db, 10**9, "X"), lambda: hide_person(db, 10**9)):  # fmt: skip
        with pytest.raises(UnknownPeopleId):
            change()


@pytest.mark.parametrize("name", ["", "   ", "a\x1b[31mb", "#12", "x" * 201])
def test_a_bad_name_is_refused(clustered, name: str) -> None:
    db, _people, ids = clustered
    with pytest.raises(PeopleError) as raised:
        assign_face(db, ids[0], name)
    assert not isinstance(raised.value, UnknownPeopleId)


def test_undo_goes_back_one_decision_at_a_time_then_says_nothing_is_left(clustered) -> None:
    db, _people, ids = clustered
    start = people_state(db)
    states = []
    first, second = _groups(db)[:2]
    loose = next(i for i in ids if get_face(db, i).person_id not in (first, second))
    for change in (lambda: name_person(db, first, "Hal"), lambda: assign_face(db, loose, "Ivy"),
                   lambda: name_person(db, second, "Hal"), lambda: hide_person(db, first)):  # fmt: skip
        states.append(people_state(db))
        change()
    for state in reversed(states):
        assert undo_last(db) is not None
        assert people_state(db) == state
    assert people_state(db) == start
    assert undo_last(db) is None


def test_suggestions_ask_about_the_least_sure_first(clustered) -> None:
    db, _people, _ids = clustered
    assert suggestions(db) == []  # only named persons are asked about
    for person in _groups(db):
        name_person(db, person, f"N{person}")
    queue = suggestions(db, limit=5)
    assert 0 < len(queue) <= 5
    distances = [s.distance for s in queue]
    assert distances == sorted(distances, reverse=True)
    everything = [f.distance for f in list_faces(db) if f.source == "auto" and f.distance is not None]
    assert distances[0] == pytest.approx(max(everything))
    assert all(s.person.id == s.face.person_id and s.face.source == "auto" for s in queue)
    confirm_face(db, queue[0].face.id)
    assert queue[0].face.id not in [s.face.id for s in suggestions(db, limit=5)]


def test_corpus_every_correction_undoes_exactly(library, corpus_faces, corpus_truth) -> None:
    db = library.db
    ids = store_found(db, corpus_faces, DLIB_MODEL_ID)
    cluster_new_faces(db, DLIB_MODEL_ID)
    by_person = {people[0]: ids[path][0] for path, people in corpus_truth.items() if len(people) == 1}
    obama = get_face(db, by_person["obama"])
    biden = get_face(db, by_person["biden"])
    _undoes_exactly(db, lambda: name_person(db, obama.person_id, "Barack"))
    name_person(db, obama.person_id, "Barack")
    _undoes_exactly(db, lambda: name_person(db, biden.person_id, "Barack"))  # a rename that merges
    _undoes_exactly(db, lambda: merge_persons(db, biden.person_id, obama.person_id))
    _undoes_exactly(db, lambda: assign_face(db, by_person["alex_lacamoire"], "Alex"))
    _undoes_exactly(db, lambda: reject_face(db, obama.id))
    _undoes_exactly(db, lambda: confirm_face(db, obama.id))
    _undoes_exactly(db, lambda: hide_person(db, obama.person_id))
    _undoes_exactly(db, lambda: set_avatar(db, obama.id))


def test_naming_a_look_alike_out_of_a_named_group_takes_its_faces_along(library) -> None:
    rng = np.random.default_rng(8)
    people = synthetic.generate(rng, 2, (8, 8))
    twin = people.truth == 1
    people.vectors[twin] = people.vectors[~twin] + rng.normal(size=(8, synthetic.DIM)).astype(np.float32) * 0.01
    people.vectors[twin] += (0.42 * rng.normal(size=synthetic.DIM) / np.sqrt(synthetic.DIM)).astype(np.float32)
    ids = synthetic.store(library.db, people)  # look-alikes, centres 0.42 apart: clustered as one
    db = library.db
    cluster_new_faces(db, synthetic.MODEL)
    assert len({get_face(db, i).person_id for i in ids}) == 1
    name_person(db, get_face(db, ids[0]).person_id, "Una")
    other = next(i for i, t in zip(ids, people.truth.tolist(), strict=True) if t != people.truth[0])
    before = people_state(db)
    assign_face(db, other, "Val")
    names = {i: get_face(db, i).person for i in ids}
    expected = {i: ("Una" if t == people.truth[0] else "Val") for i, t in zip(ids, people.truth.tolist(), strict=True)}
    assert names == expected
    undo_last(db)
    assert people_state(db) == before
