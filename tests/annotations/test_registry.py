"""The annotation protocol: generic code reaches what is attached to photos only through the registry.

A tiny test-only annotator ("stickers", its own table) is registered for a test and
removed after; merge, undo, moves, the duplicates details, the manifest labels and the
trash must carry it without knowing it. People's faces go the same way.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from core.annotations import registry
from core.annotations.base import Annotator, Fields, Reader
from core.annotations.combined import apply_labels, labels_of, no_labels, photos_as_json, read_annotations
from core.catalog.db import Database
from core.catalog.moves import merge_split_moves
from core.catalog.photos import get_photo, now_iso
from core.cloud.manifest import catalog_signature
from core.collections import add_to_album, create_album, get_marks, set_caption, set_rating, tag_photos, tags_of
from core.duplicates import describe_members, differing_fields, find_groups, resolve_group, undo_resolution
from core.duplicates.merge import MergeChange
from core.duplicates.store import get_resolution
from core.library import Library
from core.trash import restore, trash_photos
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene


class Stickers(Annotator):
    """Test-only: stickers on photos, in a table of its own (``test_stickers``)."""

    name = "stickers"
    compared = ("stickers",)

    def read(self, db: Database, photo_ids: Sequence[int]) -> dict[int, Fields]:
        marks = ",".join("?" * len(photo_ids))
        found: dict[int, Fields] = {i: {"stickers": []} for i in photo_ids}
        for photo_id, sticker in db.query(
            f"SELECT photo_id, sticker FROM test_stickers WHERE photo_id IN ({marks}) ORDER BY sticker",
            tuple(photo_ids),
        ):
            found[photo_id]["stickers"].append(sticker)
        return found

    def merge(self, conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> Fields | None:
        marks = ",".join("?" * len(donor_ids))
        rows = conn.execute(f"SELECT rowid FROM test_stickers WHERE photo_id IN ({marks})", tuple(donor_ids)).fetchall()
        moved = [
            [r[0], *conn.execute("SELECT photo_id FROM test_stickers WHERE rowid = ?", (r[0],)).fetchone()]
            for r in rows
        ]
        for rowid, _donor in moved:
            conn.execute("UPDATE test_stickers SET photo_id = ? WHERE rowid = ?", (keeper_id, rowid))
        return {"moved": moved} if moved else None

    def revert(self, conn: sqlite3.Connection, keeper_id: int, undo: Fields) -> None:
        for rowid, donor in undo["moved"]:
            conn.execute(
                "UPDATE test_stickers SET photo_id = ? WHERE rowid = ? AND photo_id = ?", (donor, rowid, keeper_id)
            )

    def carry(self, conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
        conn.execute("UPDATE test_stickers SET photo_id = ? WHERE photo_id = ?", (to_id, from_id))

    def labels(self, db: Reader, photo_ids: Sequence[int] | None = None) -> dict[int, Fields]:
        found: dict[int, Fields] = {}
        for photo_id, sticker in db.execute("SELECT photo_id, sticker FROM test_stickers ORDER BY sticker").fetchall():
            if photo_ids is None or photo_id in photo_ids:
                found.setdefault(photo_id, {"stickers": []})["stickers"].append(sticker)
        return found

    def no_labels(self) -> Fields:
        return {"stickers": []}

    def apply_labels(self, db: Database, photo_id: int, record: Fields) -> None:
        stick(db, photo_id, *record.get("stickers", []))

    def fingerprint(self, db: Database) -> str:
        return repr(tuple(db.query("SELECT count(*), group_concat(sticker) FROM test_stickers")[0]))


def stick(db: Database, photo_id: int, *stickers: str) -> None:
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO test_stickers (photo_id, sticker) VALUES (?, ?)", [(photo_id, s) for s in stickers]
        )


def stickers_of(db: Database, photo_id: int) -> list[str]:
    return [
        r[0] for r in db.query("SELECT sticker FROM test_stickers WHERE photo_id = ? ORDER BY sticker", (photo_id,))
    ]


@pytest.fixture
def stickers(library: Library, monkeypatch: pytest.MonkeyPatch) -> Stickers:
    """The stickers annotator registered after the real ones (monkeypatch takes it out after the test)."""
    with library.db.transaction() as conn:
        conn.execute("CREATE TABLE test_stickers (photo_id INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE, "
                     "sticker TEXT NOT NULL)")  # fmt: skip
    annotator = Stickers()
    monkeypatch.setattr(registry, "ANNOTATORS", (*registry.ANNOTATORS, annotator))
    return annotator


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    """One scene as a camera JPEG and a smaller copy, plus an unrelated photo."""
    root = tmp_path / "photos"
    original = scene(51)
    save(original, root / "camera/IMG_1.jpg")
    save(original.resize((320, 240)), root / "phone/IMG_1_small.jpg", quality=70)
    save(scene(52), root / "camera/IMG_2.jpg")
    return root


def test_the_registry_lists_collections_then_people() -> None:
    assert [a.name for a in registry.ANNOTATORS] == ["collections", "people"]


def test_listing_json_has_every_annotators_fields_in_registry_order(index, copies: Path, stickers: Stickers) -> None:
    library = index(copies)
    one = photo(library, copies / "camera/IMG_1.jpg")
    tag_photos(library.db, [one.id], ["alps"])
    stick(library.db, one.id, "star", "moon")
    [data] = photos_as_json(library.db, [one])
    assert list(data)[-3:] == ["caption", "people", "stickers"]  # after the photo's keys and collections'
    assert (data["tags"], data["albums"], data["people"], data["stickers"]) == (["alps"], [], [], ["moon", "star"])
    assert read_annotations(library.db, []) == {}


def test_resolve_and_undo_go_through_the_registry(index, copies: Path, stickers: Stickers) -> None:
    library = index(copies)
    camera, small = photo(library, copies / "camera/IMG_1.jpg"), photo(library, copies / "phone/IMG_1_small.jpg")
    stick(library.db, small.id, "heart")
    tag_photos(library.db, [small.id], ["beach"])
    [group] = find_groups(library)
    resolution = resolve_group(library, group, keep_ids=[camera.id])
    assert resolution.ok
    assert stickers_of(library.db, camera.id) == ["heart"] and tags_of(library.db, camera.id) == ["beach"]
    [stored] = get_resolution(library.db, resolution.id).merge  # type: ignore[union-attr]
    assert set(stored["annotations"]) == {"collections", "stickers"}
    json.dumps(stored)  # the undo record stays plain JSON

    undo_resolution(library)
    assert stickers_of(library.db, camera.id) == [] and stickers_of(library.db, small.id) == ["heart"]
    assert tags_of(library.db, camera.id) == []


def test_a_merge_record_stored_before_annotators_is_still_undone(index, copies: Path) -> None:
    library = index(copies)
    camera, small = photo(library, copies / "camera/IMG_1.jpg"), photo(library, copies / "phone/IMG_1_small.jpg")
    trip = create_album(library.db, "Trip")
    add_to_album(library.db, trip.id, [small.id])
    tag_photos(library.db, [small.id], ["beach"])
    set_rating(library.db, [small.id], 4)
    set_caption(library.db, [small.id], "Dune")
    [group] = find_groups(library)
    resolution = resolve_group(library, group, keep_ids=[camera.id])
    assert get_marks(library.db, camera.id).rating == 4  # type: ignore[union-attr]
    [new] = get_resolution(library.db, resolution.id).merge  # type: ignore[union-attr]
    ours = new["annotations"]["collections"]
    old = {"keeper_id": new["keeper_id"], "albums_added": ours["albums_added"], "tags_added": ours["tags_added"],
           "before": {**new["before"], **ours["before"]}, "after": {**new["after"], **ours["after"]}}  # fmt: skip
    with library.db.transaction() as conn:  # what a Shoebox before annotators stored
        conn.execute("UPDATE resolutions SET merge = ? WHERE id = ?", (json.dumps([old]), resolution.id))
    assert MergeChange.from_json(old).annotations["collections"]["tags_added"] == ours["tags_added"]

    undo_resolution(library)
    marks = get_marks(library.db, camera.id)
    assert marks is not None and (marks.rating, marks.caption) == (None, None)
    assert tags_of(library.db, camera.id) == [] and read_annotations(library.db, [camera.id])[camera.id]["albums"] == []


def test_details_compare_every_annotators_fields(index, copies: Path, stickers: Stickers) -> None:
    library = index(copies)
    small = photo(library, copies / "phone/IMG_1_small.jpg")
    stick(library.db, small.id, "heart")
    [group] = find_groups(library)
    members = describe_members(library, group)
    assert "stickers" in differing_fields(members) and "people" not in differing_fields(members)
    by_id = {m.photo.id: m for m in members}
    assert by_id[small.id].stickers == ["heart"] and by_id[small.id].to_json()["stickers"] == ["heart"]
    assert by_id[small.id].albums == [] and by_id[small.id].favourite is False


def test_a_move_seen_in_two_halves_keeps_every_annotation(index, copies: Path, stickers: Stickers) -> None:
    library = index(copies)
    before = photo(library, copies / "camera/IMG_2.jpg")
    stick(library.db, before.id, "old")
    tag_photos(library.db, [before.id], ["kept"])
    since = now_iso()
    (copies / "moved").mkdir()
    shutil.move(copies / "camera/IMG_2.jpg", copies / "moved/IMG_2.jpg")
    index()  # the vanished file goes missing, the moved one comes in as a new row
    after = photo(library, copies / "moved/IMG_2.jpg")
    if after.id == before.id:
        pytest.skip("the indexer followed this move itself")
    stick(library.db, after.id, "new")
    assert merge_split_moves(library.db, since) == 1
    assert get_photo(library.db, after.id) is None
    assert stickers_of(library.db, before.id) == ["new", "old"] and tags_of(library.db, before.id) == ["kept"]
    assert get_photo(library.db, before.id).path == str(copies / "moved/IMG_2.jpg")  # type: ignore[union-attr]


def test_manifest_labels_and_their_fingerprint_come_from_every_annotator(
    index, copies: Path, stickers: Stickers
) -> None:
    library = index(copies)
    one, two = photo(library, copies / "camera/IMG_1.jpg"), photo(library, copies / "camera/IMG_2.jpg")
    set_rating(library.db, [one.id], 2)
    signature = catalog_signature(library, "s3://bucket/prefix")
    stick(library.db, two.id, "sun")
    assert catalog_signature(library, "s3://bucket/prefix") != signature
    labels = labels_of(library.db)
    assert labels[one.id] == {
        "albums": [],
        "tags": [],
        "stickers": [],
        "rating": 2,
        "favourite": False,
        "caption": None,
    }
    assert labels[two.id] == {"albums": [], "tags": [], "stickers": ["sun"]}
    assert no_labels() == {"albums": [], "tags": [], "stickers": []}

    three = photo(library, copies / "phone/IMG_1_small.jpg")  # a rebuild applies a manifest record
    apply_labels(library.db, three.id, {"albums": ["Rebuilt"], "tags": ["t"], "rating": 5, "stickers": ["sun"]})
    assert labels_of(library.db, [three.id])[three.id] == {
        "albums": ["Rebuilt"], "tags": ["t"], "stickers": ["sun"], "rating": 5, "favourite": False, "caption": None,
    }  # fmt: skip


def test_a_restore_onto_a_new_row_gets_its_annotations_back(index, copies: Path, stickers: Stickers) -> None:
    library = index(copies)
    target = copies / "camera/IMG_2.jpg"
    item = photo(library, target)
    add_to_album(library.db, create_album(library.db, "Keep").id, [item.id])
    tag_photos(library.db, [item.id], ["gone"])
    stick(library.db, item.id, "back")
    [entry] = trash_photos(library, [item.id]).trashed
    save(scene(99), target)  # a new photo at the old name, indexed into the old row
    index()
    restored = restore(library, entry.id)
    assert restored.photo_id != item.id
    notes = read_annotations(library.db, [restored.photo_id])[restored.photo_id]
    assert (notes["albums"], notes["tags"], notes["stickers"]) == (["Keep"], ["gone"], ["back"])


# --- people ---------------------------------------------------------------------------------


def add_face(db: Database, photo_id: int, person: str | None, box: tuple[int, int, int, int] = (10, 20, 30, 40)) -> int:
    """A face row as a scan and a naming would leave it (the corrections API is still a stub)."""
    with db.transaction() as conn:
        person_id = None
        if person is not None:
            found = conn.execute("SELECT id FROM persons WHERE name = ?", (person,)).fetchone()
            person_id = (
                found[0] if found else conn.execute("INSERT INTO persons (name) VALUES (?)", (person,)).lastrowid
            )
        return int(conn.execute("INSERT INTO faces (photo_id, x, y, w, h, person_id) VALUES (?, ?, ?, ?, ?, ?)",
                                (photo_id, *box, person_id)).lastrowid)  # fmt: skip


def faces_of(db: Database, photo_id: int) -> list[tuple[int, int, int, int, int]]:
    return [tuple(r) for r in db.query("SELECT id, x, y, w, h FROM faces WHERE photo_id = ? ORDER BY id", (photo_id,))]


def test_people_in_ls_json(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "photos"
    save(scene(61), folder / "IMG_1.jpg")
    save(scene(62), folder / "IMG_2.jpg")
    assert cli("add", str(folder)).code == 0
    library = Library.open(tmp_path / "library")
    try:
        first, second = (photo(library, folder / name) for name in ("IMG_1.jpg", "IMG_2.jpg"))
        add_face(library.db, first.id, "Zoé")
        add_face(library.db, first.id, "anna")
        add_face(library.db, first.id, None)  # an unnamed face adds no one
    finally:
        library.close()
    listed = {Path(p["path"]).name: p for p in cli("ls", "--json").json()}  # type: ignore[union-attr]
    assert listed["IMG_1.jpg"]["people"] == ["anna", "Zoé"] and listed["IMG_2.jpg"]["people"] == []
    shown = cli("show", "--json", str(folder / "IMG_1.jpg")).json()
    assert shown["people"] == ["anna", "Zoé"] and shown["tags"] == []  # type: ignore[index]


def test_a_resolve_hands_the_copys_faces_to_the_keeper_and_undo_takes_them_back(index, copies: Path) -> None:
    library = index(copies)
    camera, small = photo(library, copies / "camera/IMG_1.jpg"), photo(library, copies / "phone/IMG_1_small.jpg")
    face = add_face(library.db, small.id, "Anna", (100, 50, 20, 30))  # the copy is half the size
    [group] = find_groups(library)
    resolve_group(library, group, keep_ids=[camera.id])
    assert faces_of(library.db, camera.id) == [(face, 200, 100, 40, 60)]
    assert read_annotations(library.db, [camera.id])[camera.id]["people"] == ["Anna"]

    undo_resolution(library)
    assert faces_of(library.db, camera.id) == [] and faces_of(library.db, small.id) == [(face, 100, 50, 20, 30)]


def test_a_keeper_with_faces_of_its_own_keeps_only_those(index, copies: Path) -> None:
    library = index(copies)
    camera, small = photo(library, copies / "camera/IMG_1.jpg"), photo(library, copies / "phone/IMG_1_small.jpg")
    own = add_face(library.db, camera.id, "Anna")
    add_face(library.db, small.id, "Anna")
    [group] = find_groups(library)
    resolve_group(library, group, keep_ids=[camera.id])
    assert [f[0] for f in faces_of(library.db, camera.id)] == [own]
