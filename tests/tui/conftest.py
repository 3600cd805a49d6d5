"""Libraries for the app tests: one indexed from the shared corpus, small generated ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.catalog.roots import add_root
from core.demo.pictures import Shot, exif_for, landscape
from core.indexing.indexer import index_library
from core.library import Library

#: Corpus folders the app tests index (real camera files: GPS, all orientations, broken files).
CORPUS_PARTS = ("exif-samples/jpg/gps", "exif-samples/jpg/orientation", "broken")

#: Generated photos: (folder, name, EXIF date, make, model, gps) — fixed, so screens are the same every run.
SHOTS = (
    ("2019-01 Tuscany", "IMG_1000.jpg", "2019:01:05 09:20:09", "NIKON", "COOLPIX P6000", (43.4674, 11.8851)),
    ("2019-01 Tuscany", "IMG_1001.jpg", "2019:01:05 10:02:44", "NIKON", "COOLPIX P6000", None),
    ("2019-01 Tuscany", "IMG_1002.jpg", "2019:01:06 16:40:37", "Canon", "Canon EOS 40D", None),
    ("2019-03 Helsinki", "IMG_1003.jpg", "2019:03:07 11:06:23", "Apple", "iPhone 13 Pro", (60.1467, 24.9068)),
    ("2019-03 Helsinki", "IMG_1004.jpg", "2019:03:09 18:54:08", "FUJIFILM", "X100V", None),
    ("2021-07 Madrid", "IMG_1005.jpg", "2021:07:13 13:05:27", "Canon", "Canon EOS 40D", (40.4470, -3.7248)),
    ("2021-07 Madrid", "IMG_1006.jpg", "2021:07:14 10:19:35", "Apple", "iPhone 13 Pro", None),
    ("2021-07 Madrid", "IMG_1007.jpg", "2021:07:14 21:11:02", "NIKON", "COOLPIX P6000", None),
)


def write_shots(
    folder: Path, shots: tuple[tuple[str, str, str, str, str, tuple[float, float] | None], ...] = SHOTS
) -> list[Path]:
    """Small generated JPEGs with fixed EXIF and the same bytes every run.

    No film grain: Pillow's noise depends on the C library's random state, which earlier
    tests in the same process change, and snapshots must not.
    """
    paths = []
    for seed, (sub, name, when, make, model, gps) in enumerate(shots):
        path = folder / sub / name
        path.parent.mkdir(parents=True, exist_ok=True)
        image = landscape(96, 72, 100 + seed, texture=False)
        image.save(
            path, "JPEG", quality=88, exif=exif_for(Shot(taken_at=when, make=make, model=model, gps=gps)).tobytes()
        )
        paths.append(path)
    return paths


def build_library(directory: Path, roots: list[Path]) -> Path:
    with Library.open(directory) as library:
        for root in roots:
            add_root(library.db, str(root))
        index_library(library, workers=1)
    return directory


@pytest.fixture(scope="session")
def corpus_library_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CORPUS

    if not (CORPUS / "exif_truth.tsv").exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return build_library(tmp_path_factory.mktemp("corpus-library"), [CORPUS / part for part in CORPUS_PARTS])


@pytest.fixture
def corpus_library(corpus_library_master: Path, tmp_path: Path) -> Library:
    """A library of real camera photos (a private copy: tests may change it)."""
    copy = tmp_path / "corpus-library"
    shutil.copytree(corpus_library_master, copy)
    library = Library.open(copy)
    yield library
    library.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake home directory, so paths on screen read ``~/Pictures/…`` on every machine."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def shots_library(home: Path) -> Library:
    """Eight generated photos over three months of 2019 and 2021, in ~/Pictures."""
    write_shots(home / "Pictures")
    build_library(home / "library", [home / "Pictures"])
    library = Library.open(home / "library")
    yield library
    library.close()


@pytest.fixture
def empty_library(home: Path) -> Library:
    library = Library.open(home / "library")
    yield library
    library.close()
