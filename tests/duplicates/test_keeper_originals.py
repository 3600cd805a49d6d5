"""The suggested keeper is the original, for every kind of copy people and tools make (real files, real finder)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageEnhance

from core.config import set_value
from core.demo.pictures import Shot, exif_for
from core.duplicates import find_groups
from core.duplicates.signals import is_copy_like, read_file_signals
from core.library import Library
from tests.duplicates.pictures import cropped, scene

SHOT = Shot(taken_at="2020:05:01 10:00:00", make="Canon", model="Canon EOS 80D")
DAY = "2020-05-01"


def original(folder: Path, seed: int = 3, name: str = "IMG_0001.jpg") -> tuple[Path, Image.Image, bytes]:
    """A generated camera JPEG (quality 92, EXIF), written an hour before its copies."""
    path = folder / "Pictures" / DAY / name
    path.parent.mkdir(parents=True, exist_ok=True)
    image = scene(seed)
    exif = exif_for(SHOT).tobytes()
    image.save(path, "JPEG", quality=92, exif=exif)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    return path, image, exif


def _jpeg(image: Image.Image, path: Path, quality: int = 75, **options: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=quality, **options)
    return path


def _rotated(image: Image.Image, path: Path, exif: bytes) -> Path:
    tags = Image.Exif()
    tags.load(exif)
    tags[0x0112] = 6  # shown turned back: the same picture
    return _jpeg(image.transpose(Image.Transpose.ROTATE_90), path, quality=95, exif=tags.tobytes())


def _saved(fmt: str, suffix: str) -> Callable[[Image.Image, Path, bytes], Path]:
    def save(image: Image.Image, path: Path, exif: bytes) -> Path:
        path = path.with_suffix(suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path, fmt, exif=exif)
        return path

    return save


# Each copy kind: how a tool makes it from the original's pixels and EXIF (passed through, as tools do).
COPIES: dict[str, Callable[[Image.Image, Path, bytes], Path]] = {
    "resized": lambda im, p, ex: _jpeg(im.resize((320, 240)), p, exif=ex),
    "recompressed": lambda im, p, ex: _jpeg(im, p, quality=70, exif=ex),
    "png": _saved("PNG", ".png"),
    "webp": _saved("WEBP", ".webp"),
    "heic": _saved("HEIF", ".heic"),
    "cropped": lambda im, p, ex: _jpeg(cropped(im, 0.96), p, quality=95, exif=ex),
    "stripped": lambda im, p, ex: _jpeg(im, p, quality=95),  # EXIF dropped, higher quality than the original
    "rotated_exif": _rotated,  # pixels turned behind an Orientation tag, at higher quality
}


@pytest.mark.parametrize("kind", sorted(COPIES))
def test_the_original_is_kept_over_one_copy(kind: str, tmp_path: Path, index: Callable[..., Library]) -> None:
    path, image, exif = original(tmp_path / "photos")
    COPIES[kind](image, tmp_path / "photos" / "exports" / f"IMG_0001_{kind}.jpg", exif)
    [group] = find_groups(index(tmp_path / "photos"))
    assert group.keeper.path == str(path), group.keeper_reason
    assert group.confident


@pytest.mark.parametrize("factor", [0.75, 1.25])
@pytest.mark.parametrize("edit", ["brightness", "contrast"])
def test_an_edit_stands_out_from_its_group(edit: str, factor: float, tmp_path: Path, index) -> None:
    """Brighter/darker or more/less contrast, saved at a higher quality than the original, with its EXIF."""
    path, image, exif = original(tmp_path / "photos")
    enhance = ImageEnhance.Brightness if edit == "brightness" else ImageEnhance.Contrast
    _jpeg(enhance(image).enhance(factor), tmp_path / "photos" / "edited" / "IMG_0001.jpg", quality=97, exif=exif)
    _jpeg(image, tmp_path / "photos" / "shared" / "IMG_0001.jpg", quality=80)
    [group] = find_groups(index(tmp_path / "photos"))
    assert len(group.photos) == 3 and group.keeper.path == str(path), group.keeper_reason


@pytest.mark.parametrize(
    "where", ["Copies/IMG_0001.jpg", "backup/2020-05-01/IMG_0001.jpg", f"Pictures/{DAY}/IMG_0001 (1).jpg"]
)
def test_an_exact_copy_in_a_copy_folder_loses_even_when_its_file_is_older(where: str, tmp_path: Path, index) -> None:
    path, _, _ = original(tmp_path / "photos")
    copy = tmp_path / "photos" / where
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, copy)
    os.utime(copy, (1_500_000_000, 1_500_000_000))  # older than the original
    [group] = find_groups(index(tmp_path / "photos"))
    assert group.kind == "exact" and group.keeper.path == str(path)
    assert "copy" in group.keeper_reason


def test_exact_copies_stay_with_their_siblings_of_that_day(tmp_path: Path, index) -> None:
    """Neither folder is named as a copy: the one holding the day's other photos from that camera wins."""
    path, _, _ = original(tmp_path / "photos", name="IMG_0001.jpg")
    original(tmp_path / "photos", seed=11, name="IMG_0002.jpg")
    original(tmp_path / "photos", seed=12, name="IMG_0003.jpg")
    stray = tmp_path / "photos" / "Desktop" / "IMG_0001.jpg"
    stray.parent.mkdir(parents=True)
    shutil.copyfile(path, stray)
    os.utime(stray, (1_500_000_000, 1_500_000_000))
    [group] = find_groups(index(tmp_path / "photos"))
    assert group.keeper.path == str(path)
    assert group.keeper_reason == "in the folder with that day's other photos from this camera (3)"


def test_a_group_of_six_keeps_the_original(tmp_path: Path, index) -> None:
    path, image, exif = original(tmp_path / "photos")
    exports = tmp_path / "photos" / "exports"
    for kind in ("png", "heic", "recompressed", "rotated_exif"):
        COPIES[kind](image, exports / f"IMG_0001_{kind}.jpg", exif)
    _jpeg(ImageEnhance.Brightness(image).enhance(1.25), exports / "IMG_0001_bright.jpg", quality=95, exif=exif)
    [group] = find_groups(index(tmp_path / "photos"))
    assert len(group.photos) == 6 and group.keeper.path == str(path), group.keeper_reason


def test_the_camera_original_from_a_real_camera_is_named_in_the_reason(corpus: Path, tmp_path: Path, index) -> None:
    """A Nikon JPEG with its MakerNote against its Pillow re-encodes that kept all its EXIF."""
    source = corpus / "exif-samples/jpg/gps/DSCN0021.jpg"
    path = tmp_path / "photos" / "DSCN0021.jpg"
    path.parent.mkdir(parents=True)
    shutil.copyfile(source, path)
    with Image.open(path) as image:
        pixels, exif = image.convert("RGB"), image.info["exif"]
    _jpeg(pixels, tmp_path / "photos" / "edit" / "DSCN0021.jpg", quality=97, exif=exif)
    [group] = find_groups(index(tmp_path / "photos"))
    assert group.keeper.path == str(path) and group.confident
    assert (
        group.keeper_reason
        == "camera original: the others re-encoded (JFIF first, as Pillow, GIMP and ImageMagick write)"
    )


def test_a_configured_chain_still_overrides_and_is_not_confident(tmp_path: Path, index) -> None:
    photos = tmp_path / "photos"
    path, image, exif = original(photos)
    small = COPIES["resized"](image, photos / "exports" / "small.jpg", exif)
    library = index(photos)
    set_value(library.directory, "duplicates", "keep", ["smaller"])
    [group] = find_groups(library)
    assert group.keeper.path == str(small) and group.keeper_reason == "smallest file"
    assert not group.confident  # the pixels say otherwise: not for a bulk accept


def test_a_two_way_edit_with_nothing_else_to_go_on_is_not_confident(tmp_path: Path, index) -> None:
    """Original and a brightened copy at the same quality with the same EXIF: no signal can tell."""
    photos = tmp_path / "photos"
    path, image, exif = original(photos)
    _jpeg(ImageEnhance.Brightness(image).enhance(1.25), photos / "edited" / "IMG_0001.jpg", quality=92, exif=exif)
    [group] = find_groups(index(photos))
    assert not group.confident


def test_header_signals_of_a_camera_file_and_its_re_encode(corpus: Path, tmp_path: Path) -> None:
    camera = read_file_signals(str(corpus / "exif-samples/jpg/gps/DSCN0021.jpg"))
    assert camera.makernote and camera.camera_layout and camera.exif_size_matches and camera.quality == 87
    q25 = read_file_signals(str(corpus / "dups/DSCN0029__q25.jpg"))
    assert q25.quality == 25 and not q25.camera_layout and q25.exif_fields == 0
    assert read_file_signals(str(tmp_path / "missing.jpg")).exif_fields == 0  # unreadable: no signals, no error


@pytest.mark.parametrize(("path", "copy_like"), [
    ("/p/Copies/IMG_1.jpg", True), ("/p/backup/2020/IMG_1.jpg", True), ("/p/2020/IMG_1 (1).jpg", True),
    ("/p/2020/IMG_1 - Copy.jpg", True), ("/p/dup/IMG_1.jpg", True), ("/p/2020/IMG_1.jpg", False),
    ("/p/Copenhagen/IMG_1.jpg", False), ("/p/2020/duplex.jpg", False),
])  # fmt: skip
def test_copy_like_names(path: str, copy_like: bool) -> None:
    assert is_copy_like(path) == copy_like


def test_a_re_encode_at_a_higher_quality_is_told_by_its_coefficients(tmp_path: Path, index) -> None:
    """Same pixels, same EXIF, saved at 97 from the original's 88: the original's quantisation shows through."""
    photos = tmp_path / "photos"
    path, _, exif = original(photos)
    image = scene(3)
    image.save(path, "JPEG", quality=88, exif=exif)
    with Image.open(path) as decoded:
        _jpeg(decoded.convert("RGB"), photos / "exports" / "IMG_0001.jpg", quality=97, exif=exif)
    library = index(photos)
    for _ in range(2):  # the second time from the answer kept in the catalog
        [group] = find_groups(library)
        assert group.keeper.path == str(path)
        assert group.keeper_reason == "the others are re-encodes of it: its JPEG quantisation shows in their pixels"
    assert library.db.scalar("SELECT count(*) FROM duplicate_signals WHERE signals LIKE '%reencoded_from%'") == 1


def test_signals_are_read_once_and_kept_in_the_catalog(tmp_path: Path, index) -> None:
    photos = tmp_path / "photos"
    path, image, exif = original(photos)
    copy = COPIES["png"](image, photos / "exports" / "IMG_0001.png", exif)
    library = index(photos)
    [first] = find_groups(library)
    assert library.db.scalar("SELECT count(*) FROM duplicate_signals") == 2
    copy.write_bytes(b"not an image any more")  # a second run must not need to open the files
    [again] = find_groups(library)
    assert (again.keeper.path, again.keeper_reason, again.confident) == (str(path), first.keeper_reason, True)


def test_a_keeper_only_the_jpeg_quality_chose_is_not_confident(tmp_path: Path, index) -> None:
    """Original and a copy of it at a lower quality with the same EXIF: the right guess, not a sure one."""
    photos = tmp_path / "photos"
    path, image, exif = original(photos)
    with Image.open(path) as decoded:
        _jpeg(decoded.convert("RGB"), photos / "exports" / "IMG_0001.jpg", quality=89, exif=exif)
    [group] = find_groups(index(photos))
    assert (
        group.keeper.path == str(path) and group.keeper_reason == "highest JPEG quality: the others were recompressed"
    )
    assert not group.confident
