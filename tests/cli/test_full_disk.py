"""A full disk, for real: the library sits on a tiny tmpfs mounted in a private mount namespace
(``unshare``), so the catalog and thumbnail writes hit ENOSPC / SQLITE_FULL as they would on a NAS.
Photos are never touched; the run stops with a clear message and resumes once there is room."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.demo.pictures import Shot, write_photo
from core.media.analyze import analyze_file
from core.media.thumbnails import ThumbnailCache

ROOT = Path(__file__).resolve().parents[2]


def _in_small_disk(library: Path, size: str, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a ``size`` tmpfs mounted at ``library``, in its own mount namespace."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not installed")
    shoebox = f"{sys.executable} -m core.cli.main --library {library}"
    command = ["unshare", "--map-root-user", "--mount", "sh", "-c",
               f"mount -t tmpfs -o size={size} tmpfs {library} || exit 99\n" + script.replace("SHOEBOX", shoebox)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode == 99 or "Operation not permitted" in result.stderr[:300]:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()[:200]}")
    return result


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
    result = _in_small_disk(library, "600k", f"""
        SHOEBOX add {photos}; echo "first=$?"
        SHOEBOX ls --json > /dev/null; echo "readable=$?"
        mount -o remount,size=64m {library}
        SHOEBOX index; echo "second=$?"
        SHOEBOX ls --json
    """)
    out, err = result.stdout, result.stderr
    assert "first=1" in out, err
    assert "is full" in err and "run the same command again" in err
    assert "Traceback" not in err
    assert "readable=0" in out  # the catalog is still sound
    assert "second=0" in out, err
    listing = out[out.index("second=0") + len("second=0"):]
    assert listing.count('"path"') == 40  # every photo is in, once
    assert {p.name: p.read_bytes() for p in photos.iterdir()} == before  # originals untouched


def test_a_thumbnail_the_disk_refuses_does_not_make_the_photo_a_problem(tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "a.jpg", 320, 240, 1, Shot(taken_at="2020:01:01 10:00:00"))
    blocked = tmp_path / "thumbnails"
    blocked.write_text("a file where the cache's folders should go")  # every thumbnail write fails
    info = analyze_file(photo, thumbnails=ThumbnailCache(blocked))
    assert info.error is None and info.phash is not None
    assert not info.thumbnail_written and info.thumbnail_error
