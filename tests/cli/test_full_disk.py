"""A full disk, for real: the library sits on a tiny tmpfs mounted in a private mount namespace
(``unshare``), so the catalog and thumbnail writes hit ENOSPC / SQLITE_FULL as they would on a NAS.
Photos are never touched; the run stops with a clear message and resumes once there is room."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.demo.pictures import Shot, write_photo
from core.media.analyze import analyze_file
from core.media.thumbnails import ThumbnailCache
from tests.small_disk import in_small_disk


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """Forty noisy photos: their thumbnails (~30 KB each) are more than the small disk holds."""
    from PIL import Image

    folder = tmp_path / "photos"
    folder.mkdir()
    for index in range(40):
        Image.effect_noise((800, 600), 60 + index).convert("RGB").save(folder / f"IMG_{index:04d}.jpg", quality=90)
    return folder


def test_a_full_library_disk_stops_with_a_clear_message_and_resumes(photos: Path, tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    before = {p.name: p.read_bytes() for p in photos.iterdir()}
    result = in_small_disk(
        library,
        "600k",
        f"""
        SHOEBOX add {photos}; echo "first=$?"
        SHOEBOX ls --json > /dev/null; echo "readable=$?"
        mount -o remount,size=64m {library}
        SHOEBOX index; echo "second=$?"
        SHOEBOX ls --json
    """,
        library,
    )
    out, err = result.stdout, result.stderr
    assert "first=1" in out, err
    assert "is full" in err and "run the same command again" in err
    assert "Traceback" not in err
    assert "readable=0" in out  # the catalog is still sound
    assert "second=0" in out, err
    listing = out[out.index("second=0") + len("second=0") :]
    assert listing.count('"path"') == 40  # every photo is in, once
    assert {p.name: p.read_bytes() for p in photos.iterdir()} == before  # originals untouched


def test_a_thumbnail_the_disk_refuses_does_not_make_the_photo_a_problem(tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "a.jpg", 320, 240, 1, Shot(taken_at="2020:01:01 10:00:00"))
    blocked = tmp_path / "thumbnails"
    blocked.write_text("a file where the cache's folders should go")  # every thumbnail write fails
    info = analyze_file(photo, thumbnails=ThumbnailCache(blocked))
    assert info.error is None and info.phash is not None
    assert not info.thumbnail_written and info.thumbnail_error
