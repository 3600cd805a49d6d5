"""Building small libraries for the cloud tests: real files, catalogued directly."""

from __future__ import annotations

import hashlib
import os
import random
from pathlib import Path

from core.catalog.photos import store_media
from core.catalog.roots import add_root
from core.library import Library
from core.media.records import MediaInfo

KiB = 1024
MiB = 1024 * KiB


def write_file(path: Path, size: int, seed: int) -> Path:
    """``size`` pseudo-random bytes (incompressible, reproducible) behind a JPEG marker."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    path.write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(max(0, size - 4)))
    return path


def catalogue(library: Library, root: Path, paths: list[Path]) -> None:
    """Register ``root`` and store the files as photos (what indexing would record)."""
    root_id = add_root(library.db, str(root)).id
    infos = []
    for number, path in enumerate(paths):
        data = path.read_bytes()
        st = path.stat()
        infos.append(MediaInfo(str(path), len(data), st.st_mtime_ns, hashlib.sha256(data).hexdigest(), "jpeg",
                               "photo", taken_at=f"2020-01-{1 + number % 28:02d}T12:00:00"))  # fmt: skip
    store_media(library.db, root_id, infos)


def make_library(library: Library, root: Path, sizes: list[int], *, seed: int = 0) -> list[Path]:
    """Files of the given sizes under ``root`` (two folders), catalogued."""
    paths = [write_file(root / f"album{n % 2}" / f"IMG_{n:04d}.jpg", size, seed + n) for n, size in enumerate(sizes)]
    catalogue(library, root, paths)
    return paths


def sha(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def same_bytes(a: Path | str, b: Path | str) -> bool:
    return os.path.getsize(a) == os.path.getsize(b) and sha(a) == sha(b)
