"""Face crops and the people pane's overview, on real files and a real catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from core.media.records import UnreadableMedia
from core.people import Box, face_crop, name_person, people_overview
from core.people.crops import crop_region
from tests.tui.people_library import SKIN, build_people_library


def test_crop_region_is_a_square_around_the_face_with_a_margin() -> None:
    assert crop_region(Box(100, 100, 50, 60), (400, 300), margin=0.25) == (80, 85, 170, 175)  # 60 px + 2 × 15, centred


def test_crop_region_slides_inside_at_the_edges_and_shrinks_to_the_image() -> None:
    left, top, right, bottom = crop_region(Box(0, 0, 40, 40), (300, 200), margin=0.5)
    assert (left, top) == (0, 0) and right - left == bottom - top == 80
    left, top, right, bottom = crop_region(Box(270, 170, 30, 30), (300, 200), margin=0.5)
    assert (right, bottom) == (300, 200)
    assert crop_region(Box(0, 0, 100, 100), (120, 80)) == (10, 0, 90, 80)  # as tall as the image, centred on the face


def test_face_crop_cuts_the_face_out_of_the_photo(tmp_path: Path) -> None:
    photo = tmp_path / "two.jpg"
    image = Image.new("RGB", (1200, 800), (0, 0, 255))
    image.paste((255, 0, 0), (100, 100, 300, 340))  # a red "face" on the left, a green one on the right
    image.paste((0, 255, 0), (800, 300, 1000, 540))
    image.save(photo, "JPEG", quality=95)
    red = face_crop(photo, Box(100, 100, 200, 240))
    green = face_crop(photo, Box(800, 300, 200, 240))
    assert red.width == red.height and max(red.size) <= 600
    assert _near(red.getpixel((red.width // 2, red.height // 2)), (255, 0, 0))
    assert _near(green.getpixel((green.width // 2, green.height // 2)), (0, 255, 0))
    assert _near(red.getpixel((red.width - 2, red.height // 2)), (0, 0, 255))  # the margin shows what is around


def test_face_crop_of_a_rotated_photo_uses_upright_boxes(tmp_path: Path) -> None:
    """Boxes are in upright pixels: a photo stored on its side (EXIF 6) is turned before cutting."""
    photo = tmp_path / "turned.jpg"
    stored = Image.new("RGB", (800, 600), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 200, 200))  # top-left as stored: top-right once turned 90° clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(photo, "JPEG", quality=95, exif=exif.tobytes())
    crop = face_crop(photo, Box(450, 20, 120, 120), margin=0.1)
    assert _near(crop.getpixel((crop.width // 2, crop.height // 2)), (255, 0, 0))


def test_face_crop_of_a_missing_photo_says_why(tmp_path: Path) -> None:
    with pytest.raises(UnreadableMedia, match="gone"):
        face_crop(tmp_path / "nowhere.jpg", Box(0, 0, 10, 10))


def test_overview_lists_persons_with_their_faces_and_counts(tmp_path: Path) -> None:
    built = build_people_library(tmp_path)
    try:
        db = built.db
        carol = name_person(db, built.person_of("C"), "Carol")
        overview = people_overview(db)
        assert [p.name for p in overview.persons] == ["Carol", None, None]
        assert overview.persons[0].id == carol and [p.faces for p in overview.persons] == [2, 4, 4]
        assert set(overview.avatars) == {p.id for p in overview.persons}
        assert overview.avatars[carol].id in built.faces["C"]
        assert (overview.faces, overview.unassigned, overview.to_review, overview.hidden) == (10, 0, 2, 0)
        crop = face_crop(overview.avatars[carol].path, overview.avatars[carol].box)
        assert _near(crop.getpixel((crop.width // 2, crop.height // 2 + 8)), SKIN["C"], 40)
    finally:
        built.library.close()


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 30) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))
