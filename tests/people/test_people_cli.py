"""``shoebox people …`` and the person:/faces: query terms, through the real command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.library import Library
from core.people import cluster_new_faces
from tests.people import synthetic


@pytest.fixture
def people_cli(cli, tmp_path: Path):
    """The CLI on a library with 4 generated persons (5 faces each, some group photos), clustered."""
    people = synthetic.generate(np.random.default_rng(9), 4, (5, 5), group_photos=0.4)
    with Library.open(tmp_path / "library") as library:
        ids = synthetic.store(library.db, people)
        cluster_new_faces(library.db, synthetic.MODEL)
    return cli, people, ids


def test_ls_and_faces_json(people_cli) -> None:
    cli, _people, ids = people_cli
    listed = cli("people", "ls", "--json").json()
    assert len(listed) == 4 and all(
        set(p) == {"id", "name", "faces", "photos", "hidden", "avatar_face_id"} for p in listed
    )
    assert all(p["name"] is None and p["faces"] == 5 for p in listed)
    faces = cli("people", "faces", "--json").json()
    assert [f["id"] for f in sorted(faces, key=lambda f: f["id"])] == ids
    assert set(faces[0]) == {"id", "photo_id", "path", "box", "person_id", "person", "source"}
    assert set(faces[0]["box"]) == {"x", "y", "w", "h"}
    person = listed[0]["id"]
    of_person = cli("people", "faces", "--person", str(person), "--json").json()
    assert len(of_person) == 5 and {f["person_id"] for f in of_person} == {person}
    photo = faces[0]["path"]
    assert {f["path"] for f in cli("people", "faces", "--photo", photo, "--json").json()} == {photo}
    assert cli("people", "faces", "--unassigned", "--json").json() == []
    assert "(unnamed)" in cli("people", "ls").out


def test_name_assign_reject_merge_hide_avatar_undo(people_cli) -> None:
    cli, _people, _ids = people_cli
    first, second = (p["id"] for p in cli("people", "ls", "--json").json()[:2])
    assert cli("people", "name", str(first), "Jo", "--json").json() == {"person_id": first}
    assert cli("people", "faces", "--person", "jo", "--json").json()[0]["person"] == "Jo"
    face = cli("people", "faces", "--person", str(second), "--json").json()[0]["id"]
    assert cli("people", "assign", str(face), "Kim", "--json").json()["person_id"] not in (first, second)
    assert cli("people", "undo", "--json").json()["undone"].startswith("assign face")
    assert cli("people", "reject", str(face)).code == 0
    assert cli("people", "faces", "--unassigned", "--json").json()[0]["id"] == face
    assert cli("people", "undo").code == 0
    assert cli("people", "merge", str(second), str(first), "--json").json() == {"person_id": first}
    listed = {p["id"]: p for p in cli("people", "ls", "--json").json()}
    assert second not in listed and listed[first]["faces"] > 5  # (faces of photos both were in stay apart)
    assert cli("people", "hide", str(first)).code == 0
    assert first not in [p["id"] for p in cli("people", "ls", "--json").json()]
    assert first in [p["id"] for p in cli("people", "ls", "--all", "--json").json()]
    assert cli("people", "hide", str(first), "--unhide").code == 0
    chosen = cli("people", "faces", "--person", "Jo", "--json").json()[-1]["id"]
    assert cli("people", "avatar", str(chosen), "--json").json() == {"face_id": chosen}
    jo = next(p for p in cli("people", "ls", "--json").json() if p["id"] == first)
    assert jo["avatar_face_id"] == chosen
    for _ in range(4):
        assert cli("people", "undo").code == 0
    listed = cli("people", "ls", "--json").json()
    assert len(listed) == 4 and {p["faces"] for p in listed} == {5} and [p["name"] for p in listed].count("Jo") == 1


def test_suggest_and_recluster(people_cli) -> None:
    cli, _people, _ids = people_cli
    for person in cli("people", "ls", "--json").json():
        cli("people", "name", str(person["id"]), f"Lee {person['id']}")
    queue = cli("people", "suggest", "--limit", "3", "--json").json()
    assert len(queue) == 3 and queue[0]["distance"] >= queue[-1]["distance"]
    assert set(queue[0]) == {"face", "person", "distance"}
    assert cli("people", "confirm", str(queue[0]["face"]["id"])).code == 0
    before = {p["name"]: p["faces"] for p in cli("people", "ls", "--json").json()}
    stats = cli("people", "recluster", "--json").json()
    assert set(stats) == {"joined", "new_persons", "left_alone"}
    assert {p["name"]: p["faces"] for p in cli("people", "ls", "--json").json()} == before
    assert cli("people", "undo", "--json").json() == {"undone": None}  # recluster starts a new history


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("name", "424242", "Zed"), 1, "no person has id 424242"),
        (("assign", "424242", "Zed"), 1, "no face has id 424242"),
        (("reject", "424242"), 1, "no face"),
        (("merge", "424242", "1"), 1, "no person"),
        (("hide", "424242"), 1, "no person"),
        (("avatar", "424242"), 1, "no face"),
        (("faces", "--person", "Nobody"), 1, "no person 'Nobody'"),
        (("faces", "--photo", "/not/there.jpg"), 1, "not in the library"),
        (("name", "x", "Zed"), 2, "is not an id"),
        (("name", "-3", "Zed"), 2, "out of range"),
        (("assign", "1", "   "), 2, "cannot be empty"),
        (("merge", "1", "1"), 2, "itself"),
        (("suggest", "--limit", "0"), 2, "out of range"),
    ],
)
def test_errors_are_one_line_with_their_exit_status(people_cli, args, code, says) -> None:
    cli, _people, _ids = people_cli
    if args[0] == "merge" and args[1] == "1":
        first = cli("people", "ls", "--json").json()[0]["id"]
        args = ("merge", str(first), str(first))
    result = cli("people", *args)
    assert result.code == code and says in result.err and result.err.count("\n") == 1


def test_person_and_faces_query_terms(people_cli) -> None:
    cli, people, _ids = people_cli
    person = cli("people", "ls", "--json").json()[0]
    cli("people", "name", str(person["id"]), "Mo Ray")
    by_name = {p["path"] for p in cli("ls", "--json", '"person:mo ray"').json()}
    by_id = {p["path"] for p in cli("ls", "--json", f"person:#{person['id']}").json()}
    faces = {f["path"] for f in cli("people", "faces", "--person", "Mo Ray", "--json").json()}
    assert by_name == by_id == faces and len(by_name) == person["photos"]
    assert cli("ls", "--json", "person:mo").json() == []  # the whole name, not a part
    per_photo = np.bincount(np.unique(people.photos, return_inverse=True)[1])
    assert len(cli("ls", "--json", "faces:2..").json()) == int((per_photo >= 2).sum())
    assert len(cli("ls", "--json", "faces:..1").json()) == int((per_photo <= 1).sum())
    assert len(cli("ls", "--json", "faces:1").json()) == int((per_photo == 1).sum())
    bad = cli("ls", "faces:3..1")
    assert bad.code == 2 and "ends before it starts" in bad.err
    assert cli("ls", "person:#x").code == 2
    help_text = cli("ls", "--help").out
    assert "person:NAME or #ID" in help_text and "faces:N or A..B" in help_text
