"""Pixel verification and metadata guards: copies match, bursts and other scenes do not."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageEnhance

from core.catalog.records import Photo
from core.duplicates.pixels import Picture, compare_images
from core.duplicates.verify import metadata_verdict, pixel_verdict
from tests.duplicates.pictures import burst, cropped, scene, with_subject


def thumbnail(image: Image.Image, *, quality: int = 82) -> Image.Image:
    """What the thumbnail cache would hold: ≤ 256 px, JPEG-compressed."""
    small = image.copy()
    small.thumbnail((256, 256))
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue()))


def recompressed(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


ORIGINAL = scene(11)
COPIES = {
    "resized to 320 px": ORIGINAL.resize((320, 240)),
    "recompressed at quality 25": recompressed(ORIGINAL, 25),
    "brighter": ImageEnhance.Brightness(ORIGINAL).enhance(1.3),
    "more contrast": ImageEnhance.Contrast(ORIGINAL).enhance(1.4),
    "cropped 4 %": cropped(ORIGINAL, 0.96),
    "cropped 10 %": cropped(ORIGINAL, 0.90),
    "cropped off-centre": ORIGINAL.crop((0, 0, 600, 450)),
    "rotated back upright": ORIGINAL.rotate(90, expand=True).rotate(-90, expand=True),
}


@pytest.mark.parametrize("name", COPIES)
def test_copies_of_one_photograph_match(name: str) -> None:
    match = compare_images(thumbnail(ORIGINAL), thumbnail(COPIES[name]))
    assert match.same_picture, f"{name}: {match}"
    assert compare_images(thumbnail(COPIES[name]), thumbnail(ORIGINAL)).same_picture


@pytest.mark.parametrize("seed", [3, 5, 8])
def test_burst_frames_with_a_moving_subject_do_not_match(seed: int) -> None:
    first, second = burst(seed)
    match = compare_images(thumbnail(first), thumbnail(second))
    assert not match.same_picture, match


def test_a_different_scene_does_not_match() -> None:
    assert not compare_images(thumbnail(scene(1)), thumbnail(scene(2))).same_picture


def test_subject_added_to_the_same_frame_does_not_match() -> None:
    base = scene(4)
    assert not compare_images(thumbnail(with_subject(base, 0.2)), thumbnail(with_subject(base, 0.6))).same_picture


def test_tiny_copies_still_match() -> None:
    assert compare_images(thumbnail(ORIGINAL), thumbnail(ORIGINAL.resize((40, 30)))).same_picture


def test_flat_images_do_not_crash() -> None:
    grey = Image.new("RGB", (200, 150), (128, 128, 128))
    match = compare_images(grey, grey.copy())
    # Nothing in a flat frame tells two captures apart (lens-cap shots): never "same" by pixels.
    assert not match.same_picture
    tiny = Image.new("L", (3, 2), 9)
    compare_images(tiny, grey)  # no exception on degenerate sizes


def photo(**fields: object) -> Photo:
    base: dict[str, object] = dict(
        id=1, root_id=None, path="/p/a.jpg", path_bytes=None, folder="/p", size=10, mtime_ns=1, sha256="a",
        format="jpeg", kind="photo", width=640, height=480, orientation=1, taken_at=None, taken_at_source=None,
        make=None, model=None, lens=None, exposure_time=None, f_number=None, iso=None, focal_length=None,
        gps_lat=None, gps_lon=None, gps_alt=None, phash=None, dhash=None, status="present", indexed_at="", error=None,
    )  # fmt: skip
    base.update(fields)
    return Photo(**base)  # type: ignore[arg-type]


def test_identical_bytes_are_the_same_without_looking() -> None:
    verdict = metadata_verdict(photo(sha256="x"), photo(id=2, sha256="x"))
    assert verdict is not None and verdict.same and verdict.reason == "identical files"


def test_camera_dates_a_second_apart_are_two_captures() -> None:
    a = photo(taken_at="2021-06-01T12:00:00", taken_at_source="exif")
    b = photo(id=2, sha256="b", taken_at="2021-06-01T12:00:01", taken_at_source="exif")
    verdict = metadata_verdict(a, b)
    assert verdict is not None and not verdict.same and verdict.reason == "taken 1 s apart"


def test_file_dates_and_time_zone_shifts_do_not_count_as_captures() -> None:
    a = photo(taken_at="2021-06-01T12:00:00", taken_at_source="exif")
    by_mtime = photo(id=2, sha256="b", taken_at="2024-01-01T00:00:00", taken_at_source="mtime")
    shifted = photo(id=3, sha256="c", taken_at="2021-06-01T14:00:00", taken_at_source="exif")
    assert metadata_verdict(a, by_mtime) is None
    assert metadata_verdict(a, shifted) is None


def test_different_cameras_and_shapes_are_different_photos() -> None:
    a = photo(make="Canon", model="EOS 40D")
    other_camera = photo(id=2, sha256="b", make="NIKON", model="D70")
    stripped = photo(id=3, sha256="c")
    panorama = photo(id=4, sha256="d", width=1600, height=400)
    portrait_stored_sideways = photo(id=5, sha256="e", width=480, height=640, orientation=6)
    assert not metadata_verdict(a, other_camera).same  # type: ignore[union-attr]
    assert metadata_verdict(a, stripped) is None
    assert metadata_verdict(a, panorama).reason == "different shapes"  # type: ignore[union-attr]
    assert metadata_verdict(a, portrait_stored_sideways) is None  # upright it is 640×480 too


def test_missing_pixels_are_not_a_match() -> None:
    assert not pixel_verdict(None, Picture.of(ORIGINAL)).same
    verdict = pixel_verdict(Picture.of(thumbnail(ORIGINAL)), Picture.of(thumbnail(COPIES["cropped 10 %"])))
    assert verdict.same and "cropped" in verdict.reason


def test_pixel_check_does_not_import_scipy() -> None:
    """Importing scipy.fft pulls in scipy.special: 0.3 s warm, 2–3 s cold — most of a first
    duplicate search on a small library. The check uses numpy's FFT."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys\n"
        "from core.duplicates.pixels import compare_images\n"
        "from tests.duplicates.pictures import cropped, scene\n"
        "original = scene(3)\n"
        "compare_images(original.resize((256, 192)), cropped(original, 0.9).resize((256, 192)))  # aligns: searches\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]"
