"""Crops of up to 10 % become candidates (crop-hypothesis hashes) and join their original."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter

from core.catalog.photos import photos_without_crop_hashes
from core.demo.pictures import Shot
from core.duplicates import find_groups
from core.duplicates.finder import backfill_crop_hashes, find_candidate_pairs
from core.duplicates.pixels import compare_images
from core.library import Library
from core.media.hashing import CROP_HYPOTHESES, crop_hashes, perceptual_hashes
from tests.duplicates.pictures import burst, save, scene

CAMERA = dict(make="Canon", model="Canon EOS 40D")


def distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def crops_of(seed: int) -> dict[str, object]:
    """A scene and copies cut by 10 % on the left, 9 % at the top, 5 % on every side."""
    image = scene(seed)
    w, h = image.size
    return {
        "orig.jpg": image,
        "left10.jpg": image.crop((64, 0, w, h)),
        "top9.jpg": image.crop((0, 43, w, h)),
        "corner.jpg": image.crop((32, 24, w - 32, h - 24)),
    }


def test_crop_hashes_are_five_phashes_then_five_dhashes() -> None:
    image = scene(1)
    packed = crop_hashes(image)
    assert len(packed) == 2 * len(CROP_HYPOTHESES) * 8 == 80
    assert crop_hashes(image.copy()) == packed  # deterministic
    small = image.resize((256, 192))
    left = small.crop((round(256 * CROP_HYPOTHESES[1][0]), 0, 256, 192))
    # The hypothesis "less the left strip" hashes like that crop made by hand: the same bits but for
    # the few a different resampling (a 128-px thumbnail first) moves.
    hand, hypothesis = perceptual_hashes(left)[0], f"{int.from_bytes(crop_hashes(small)[8:16], 'big'):016x}"
    assert distance(hand, hypothesis) <= 4


def test_a_ten_percent_crop_is_a_candidate_only_through_the_hypotheses() -> None:
    images = crops_of(40)
    original, cut = images["orig.jpg"], images["left10.jpg"]
    (p0, d0), (p1, d1) = perceptual_hashes(original), perceptual_hashes(cut)  # type: ignore[arg-type]
    assert min(distance(p0, p1), distance(d0, d1)) > 8  # the whole frames moved too far
    assert find_candidate_pairs([p0, p1], [d0, d1], 8).size == 0
    pairs = find_candidate_pairs([p0, p1], [d0, d1], 8, crop_hashes=[crop_hashes(original), crop_hashes(cut)])  # type: ignore[arg-type]
    assert [tuple(row[:2]) for row in pairs] == [(0, 1)]


@pytest.fixture
def cropped_library(tmp_path: Path, index) -> tuple[Library, Path]:
    root = tmp_path / "photos"
    for seed in (31, 40):
        for name, image in crops_of(seed).items():
            save(image, root / f"s{seed}" / name)  # type: ignore[arg-type]
    first, second = burst(5)  # one second apart, no dates: the pixels keep them apart
    save(first, root / "burst/IMG_0001.jpg")
    save(second, root / "burst/IMG_0002.jpg")
    return index(root), root


def test_crops_of_up_to_ten_percent_join_their_original(cropped_library: tuple[Library, Path]) -> None:
    library, root = cropped_library
    groups = find_groups(library)
    found = sorted(sorted(str(Path(p.path).relative_to(root)) for p in g.photos) for g in groups)
    assert found == [
        [f"s{seed}/{name}" for name in ("corner.jpg", "left10.jpg", "orig.jpg", "top9.jpg")] for seed in (31, 40)
    ]


def test_older_catalogs_get_crop_hashes_from_thumbnails(cropped_library: tuple[Library, Path], tmp_path: Path) -> None:
    library, root = cropped_library
    with library.db.transaction() as conn:
        conn.execute("UPDATE photos SET crop_hashes = NULL")
    assert len(photos_without_crop_hashes(library.db)) == 10
    shutil.move(root, tmp_path / "elsewhere")  # the originals are gone: only thumbnails can be read
    assert backfill_crop_hashes(library) == 10
    assert photos_without_crop_hashes(library.db) == []
    blobs = [row[0] for row in library.db.query("SELECT crop_hashes FROM photos")]
    assert all(blob is not None and len(blob) == 80 for blob in blobs)


def test_the_search_backfills_and_then_finds_the_crops(cropped_library: tuple[Library, Path]) -> None:
    library, _root = cropped_library
    with library.db.transaction() as conn:
        conn.execute("UPDATE photos SET crop_hashes = NULL")
        conn.execute("DELETE FROM duplicate_verdicts")
    stages = []
    groups = find_groups(library, progress=lambda p: stages.append(p.stage))
    assert "thumbnails" in stages and stages.index("thumbnails") < stages.index("hashes")
    assert sorted(len(g.photos) for g in groups) == [4, 4]


def test_a_crop_with_the_same_camera_date_still_joins(tmp_path: Path, index) -> None:
    root = tmp_path / "photos"
    shot = Shot(taken_at="2021:06:01 12:00:00", **CAMERA)
    images = crops_of(36)
    save(images["orig.jpg"], root / "orig.jpg", shot)  # type: ignore[arg-type]
    save(images["left10.jpg"], root / "edit.jpg", shot)  # type: ignore[arg-type]
    groups = find_groups(index(root))
    assert [len(g.photos) for g in groups] == [2]


def graphic(seed: int) -> Image.Image:
    """A two-colour gradient with thin lines and a block: a flat picture with sharp edges."""
    rng = random.Random(seed)
    mask = (
        Image.linear_gradient("L").rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR).resize((1200, 900))
    )
    image = Image.composite(
        Image.new("RGB", (1200, 900), (200, 90, 160)), Image.new("RGB", (1200, 900), (60, 120, 220)), mask
    )
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(1100), rng.randrange(800)
        end = (x + rng.randint(-300, 300), y + rng.randint(-300, 300))
        draw.line(
            (x, y, *end), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)), width=rng.randint(2, 5)
        )
    draw.rectangle((100, 500, 260, 640), fill=(80, 200, 90))
    return image.filter(ImageFilter.GaussianBlur(1))


@pytest.mark.parametrize("seed", [3, 4, 6, 9])
def test_a_cropped_graphic_with_thin_lines_is_the_same_picture(seed: int) -> None:
    # Resampled at two sizes, its thin lines land a pixel apart: forgiven, not a difference.
    image = graphic(seed)
    w, h = image.size
    whole, cut = image.copy(), image.crop((round(w * 0.06), 0, w, h))
    whole.thumbnail((256, 256))
    cut.thumbnail((256, 256))
    assert compare_images(whole, cut).same_picture
