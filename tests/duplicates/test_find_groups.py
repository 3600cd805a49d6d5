"""find_groups on a library of generated photos: copies grouped, bursts and strangers kept apart."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PIL import ImageEnhance

from core.demo.pictures import Shot
from core.duplicates import Cancelled, FindProgress, dismiss_group, find_groups, forget_decision
from core.library import Library
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import burst, cropped, save, scene

CAMERA = dict(make="Canon", model="Canon EOS 40D")
COPIES = ("a/orig.jpg", "b/orig_copy.jpg", "b/small.jpg", "c/cropped.png", "c/bright.webp")


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("photos")
    original = scene(21)
    save(original, root / "a/orig.jpg", Shot(taken_at="2021:06:01 12:00:00", gps=(48.1, 11.5), **CAMERA))
    (root / "b").mkdir()
    shutil.copy2(root / "a/orig.jpg", root / "b/orig_copy.jpg")
    save(original.resize((320, 240)), root / "b/small.jpg", quality=60)
    save(cropped(original, 0.92), root / "c/cropped.png")
    save(ImageEnhance.Brightness(original).enhance(1.25), root / "c/bright.webp")
    first, second = burst(5)
    save(first, root / "burst/IMG_0001.jpg", Shot(taken_at="2021:06:01 12:00:04", **CAMERA))
    save(second, root / "burst/IMG_0002.jpg", Shot(taken_at="2021:06:01 12:00:05", **CAMERA))
    first, second = burst(9)  # the same second: only the pixels can tell
    save(first, root / "burst/IMG_0003.jpg", Shot(taken_at="2021:06:01 12:00:09", **CAMERA))
    save(second, root / "burst/IMG_0004.jpg", Shot(taken_at="2021:06:01 12:00:09", **CAMERA))
    save(scene(22), root / "other/stranger.jpg")
    return root


@pytest.fixture
def indexed(photos: Path, index) -> Library:
    return index(photos)


def paths(group, root: Path) -> set[str]:
    return {str(Path(p.path).relative_to(root)) for p in group.photos}


def test_copies_form_one_group_and_bursts_stay_apart(indexed: Library, photos: Path) -> None:
    groups = find_groups(indexed)
    assert [paths(g, photos) for g in groups] == [set(COPIES)]
    group = groups[0]
    assert group.kind == "near"
    assert group.keeper.path == str(photos / "a/orig.jpg")  # the full frame, then the camera original
    assert group.distance <= 8
    reasons = {Path(p.path).name: group.reason_for(p.id) for p in group.photos}
    assert reasons["cropped.png"].startswith("same picture, cropped")
    assert group.savings == sum(p.size for p in group.photos) - group.keeper.size


def test_exact_only_finds_identical_files(indexed: Library, photos: Path) -> None:
    groups = find_groups(indexed, exact_only=True)
    assert [paths(g, photos) for g in groups] == [{"a/orig.jpg", "b/orig_copy.jpg"}]
    assert groups[0].kind == "exact" and groups[0].distance == 0
    assert groups[0].to_json()["kind"] == "exact"


def test_a_dismissed_group_stays_dismissed_until_a_new_copy_arrives(
    indexed: Library, photos: Path, tmp_path: Path, index
) -> None:
    [group] = find_groups(indexed)
    decision = dismiss_group(indexed, group)
    assert find_groups(indexed) == []
    assert len(find_groups(indexed, include_decided=True)) == 1
    newcomer = tmp_path / "later"
    newcomer.mkdir()
    shutil.copy2(photos / "c/bright.webp", newcomer / "bright_again.webp")
    index(newcomer)
    [grown] = find_groups(indexed)
    assert len(grown.photos) == len(COPIES) + 1
    forget_decision(indexed, decision)
    assert len(find_groups(indexed)[0].photos) == len(COPIES) + 1


def test_threshold_zero_still_groups_identical_pictures(indexed: Library, photos: Path) -> None:
    groups = find_groups(indexed, threshold=0)
    assert groups and {"a/orig.jpg", "b/orig_copy.jpg"} <= paths(groups[0], photos)


def test_progress_and_cancel(indexed: Library) -> None:
    seen: list[FindProgress] = []
    find_groups(indexed, progress=seen.append)
    assert {p.stage for p in seen} == {"hashes", "verifying"}
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        find_groups(indexed, cancel=cancel)


def test_verdicts_are_cached_so_a_second_scan_does_not_look_at_pixels(indexed: Library) -> None:
    first = find_groups(indexed)
    calls = []

    def verifier(a, b):
        calls.append((a.id, b.id))
        raise AssertionError("should have come from the cache")

    assert [g.photo_ids for g in find_groups(indexed, verifier=verifier)] == [g.photo_ids for g in first]
    assert calls == []


def test_missing_and_trashed_photos_are_left_out(indexed: Library, photos: Path) -> None:
    with indexed.db.transaction() as conn:
        conn.execute("UPDATE photos SET status = 'missing' WHERE path = ?", (str(photos / "b/orig_copy.jpg"),))
    [group] = find_groups(indexed)
    assert "b/orig_copy.jpg" not in paths(group, photos)


def test_a_photo_whose_thumbnail_cannot_be_made_is_not_grouped_on_hashes_alone(indexed: Library, photos: Path) -> None:
    small = photo(indexed, photos / "b/small.jpg")
    indexed.thumbnails.path_for(small.sha256).unlink()
    (photos / "b/small.jpg").rename(photos / "b/small.moved")
    try:
        with indexed.db.transaction() as conn:
            conn.execute("DELETE FROM duplicate_verdicts")
        [group] = find_groups(indexed)
        assert "b/small.jpg" not in paths(group, photos)
    finally:
        (photos / "b/small.moved").rename(photos / "b/small.jpg")
