"""Resolving a group: the keeper inherits albums, tags, marks and metadata; the rest go to the trash; undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.catalog.photos import get_photo
from core.collections import (
    add_to_album,
    albums_of,
    create_album,
    get_marks,
    set_caption,
    set_favourite,
    set_rating,
    tag_photos,
    tags_of,
)  # fmt: skip
from core.demo.pictures import Shot
from core.duplicates import ResolveError, find_groups, resolve_group, undo_resolution
from core.trash import list_trash, restore
from core.trash.files import sha256_of
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    original = scene(41)
    save(
        original,
        root / "camera/IMG_1.jpg",
        Shot(taken_at="2019:08:03 09:10:11", gps=(45.5, 6.1), make="NIKON", model="D70"),
    )
    save(original, root / "export/IMG_1.png")  # no metadata at all
    save(original.resize((320, 240)), root / "phone/IMG_1_small.jpg", quality=70)
    save(scene(42), root / "camera/IMG_2.jpg")
    return root


@pytest.fixture
def resolved_setup(index, folder: Path):
    library = index(folder)
    camera, export, small = (
        photo(library, folder / p) for p in ("camera/IMG_1.jpg", "export/IMG_1.png", "phone/IMG_1_small.jpg")
    )
    trip, best = create_album(library.db, "Trip 2019"), create_album(library.db, "Best of")
    add_to_album(library.db, trip.id, [camera.id])
    add_to_album(library.db, best.id, [small.id, export.id])
    tag_photos(library.db, [camera.id], ["alps"])
    tag_photos(library.db, [small.id], ["hiking", "alps"])
    set_rating(library.db, [camera.id], 3)
    set_rating(library.db, [small.id], 5)
    set_favourite(library.db, [small.id])
    set_caption(library.db, [camera.id], "Lac d'Annecy")
    [group] = find_groups(library)
    return library, group, camera, export, small


def test_resolve_merges_onto_the_keeper_and_trashes_the_rest(resolved_setup, folder: Path) -> None:
    library, group, camera, export, small = resolved_setup
    hashes = {p: sha256_of(p) for p in (folder / "camera/IMG_1.jpg", folder / "phone/IMG_1_small.jpg")}
    resolution = resolve_group(library, group, keep_ids=[export.id])
    assert resolution.ok and {p.id for p, _ in resolution.trashed} == {camera.id, small.id}
    assert not (folder / "camera/IMG_1.jpg").exists() and (folder / "export/IMG_1.png").exists()

    assert {a.name for a in albums_of(library.db, export.id)} == {"Trip 2019", "Best of"}
    assert tags_of(library.db, export.id) == ["alps", "hiking"]
    marks = get_marks(library.db, export.id)
    assert marks is not None and (marks.rating, marks.favourite, marks.caption) == (5, True, "Lac d'Annecy")
    keeper = get_photo(library.db, export.id)
    assert keeper is not None and keeper.taken_at == "2019-08-03T09:10:11" and keeper.taken_at_source == "exif"
    assert keeper.gps_lat == pytest.approx(45.5) and keeper.make == "NIKON"
    assert find_groups(library) == []  # resolved: does not come back

    undo = undo_resolution(library)
    assert not undo.failed and len(undo.restored) == 2
    for path, digest in hashes.items():
        assert sha256_of(path) == digest
    assert {a.name for a in albums_of(library.db, export.id)} == {"Best of"}
    assert tags_of(library.db, export.id) == []
    marks = get_marks(library.db, export.id)
    assert marks is not None and (marks.rating, marks.favourite, marks.caption) == (None, False, None)
    assert get_photo(library.db, export.id).taken_at_source == "mtime"  # type: ignore[union-attr]
    assert get_photo(library.db, camera.id).status == "present"  # type: ignore[union-attr]
    assert {a.name for a in albums_of(library.db, camera.id)} == {"Trip 2019"}  # the trashed kept theirs
    assert len(find_groups(library)) == 1  # undone: the group is back


def test_a_file_restored_by_hand_does_not_bring_a_resolved_group_back(resolved_setup) -> None:
    library, group, *_ = resolved_setup
    resolution = resolve_group(library, group)
    restore(library, resolution.trashed[0][1])  # type: ignore[arg-type]
    assert find_groups(library) == []


def test_reference_folders_are_never_trashed(index, folder: Path) -> None:
    library = index(folder / "phone", reference=True)
    index(folder / "camera", folder / "export")
    [group] = find_groups(library)
    assert group.keeper.path == str(folder / "phone/IMG_1_small.jpg")  # reference first
    resolution = resolve_group(library, group, keep_ids=[photo(library, folder / "camera/IMG_1.jpg").id])
    assert [p.path for p, _ in resolution.skipped] == [str(folder / "phone/IMG_1_small.jpg")]
    assert (folder / "phone/IMG_1_small.jpg").exists()
    assert [p.path for p, _ in resolution.trashed] == [str(folder / "export/IMG_1.png")]


def test_dry_run_changes_nothing(resolved_setup, folder: Path) -> None:
    library, group, *_ = resolved_setup
    resolution = resolve_group(library, group, dry_run=True)
    assert resolution.dry_run and len(resolution.trashed) == 2 and resolution.id is None
    assert all((folder / p).exists() for p in ("camera/IMG_1.jpg", "export/IMG_1.png", "phone/IMG_1_small.jpg"))
    assert list_trash(library) == [] and len(find_groups(library)) == 1


def test_bad_requests(resolved_setup) -> None:
    library, group, *_ = resolved_setup
    with pytest.raises(ResolveError, match="keep at least one"):
        resolve_group(library, group, keep_ids=[999999])
    with pytest.raises(ResolveError, match="no resolution to undo"):
        undo_resolution(library)


def test_keeping_everything_trashes_nothing(resolved_setup) -> None:
    library, group, *_ = resolved_setup
    resolution = resolve_group(library, group, keep_ids=group.photo_ids)
    assert resolution.trashed == [] and list_trash(library) == []
    assert find_groups(library) == []  # still a decision: "these are all keepers"
    undo_resolution(library)
    assert len(find_groups(library)) == 1


def test_a_failing_copy_is_reported_and_the_rest_still_resolves(resolved_setup, folder: Path, index) -> None:
    library, group, camera, export, small = resolved_setup
    with open(folder / "phone/IMG_1_small.jpg", "ab") as handle:  # edited after indexing
        handle.write(b"!")
    resolution = resolve_group(library, group, keep_ids=[camera.id])
    assert [p.id for p, _ in resolution.failed] == [small.id] and not resolution.ok
    assert [p.id for p, _ in resolution.trashed] == [export.id]
    assert (folder / "phone/IMG_1_small.jpg").exists()
    index(folder)  # re-indexed after the edit: the copy still in place keeps its group on show
    [group] = find_groups(library)
    assert set(group.photo_ids) == {camera.id, small.id}


def test_member_details_for_the_review_screen(resolved_setup, folder: Path) -> None:
    from core.duplicates import describe_members, differing_fields

    library, group, camera, export, small = resolved_setup
    members = describe_members(library, group)
    assert [m.photo.id for m in members] == group.photo_ids and members[0].keeper
    by_id = {m.photo.id: m for m in members}
    assert by_id[camera.id].albums == ["Trip 2019"] and by_id[small.id].tags == ["alps", "hiking"]
    assert by_id[small.id].rating == 5 and by_id[small.id].favourite
    assert by_id[export.id].root == str(folder) and not by_id[export.id].reference
    assert by_id[small.id].reason is not None
    assert {"size", "pixels", "format", "albums", "tags", "rating", "folder"} <= differing_fields(members)
    assert "root" not in differing_fields(members)


def test_review_asks_a_reviewer_about_each_group(resolved_setup) -> None:
    from core.duplicates import Keep, NotDuplicates, Skip, Stop, review

    library, group, camera, *_ = resolved_setup

    class Scripted:
        def __init__(self, *answers):
            self.answers = list(answers)

        def choose(self, group):
            return self.answers.pop(0)

    assert review(library, [group], Scripted(Skip())).skipped == [group]
    assert review(library, [group], Scripted(Stop())).resolutions == []
    assert review(library, [group], Scripted(NotDuplicates()), dry_run=True).dismissed == [group]
    assert len(find_groups(library)) == 1  # a dry run remembers nothing
    [resolution] = review(library, [group], Scripted(Keep((camera.id,)))).resolutions
    assert [p.id for p in resolution.kept] == [camera.id] and len(resolution.trashed) == 2
    undo_resolution(library)
    review(library, [group], Scripted(NotDuplicates()))
    assert find_groups(library) == []
