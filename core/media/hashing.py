"""Content and perceptual hashes.

``sha256`` identifies the bytes (exact duplicates, content-addressed backup). ``phash``
and ``dhash`` (64 bits as 16 hex digits) describe what the upright picture looks like,
so resized, recompressed or converted copies land close together.

``phash`` is imagehash's algorithm (32×32 greyscale, 2-D DCT-II, the 8×8 lowest
frequencies against their median) computed with a precomputed DCT matrix in numpy:
the same bits as ``imagehash.phash`` (a test checks it), without importing scipy, which
would add 0.2 s to the start of every indexing worker and CLI command.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

CHUNK = 1 << 20
_PHASH_INPUT = 32
_PHASH_BITS = 8


def _dct_rows(size: int, keep: int) -> np.ndarray:
    """The first ``keep`` rows of scipy's unnormalised DCT-II matrix for ``size`` samples."""
    k = np.arange(keep)[:, None]
    n = np.arange(size)[None, :]
    return 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2 * size))


_DCT = _dct_rows(_PHASH_INPUT, _PHASH_BITS)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    """sha256 of a file read in 1 MiB chunks (for files too big to hold in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def phash(gray: Image.Image) -> imagehash.ImageHash:
    """imagehash's phash of a greyscale image (see the module docstring)."""
    pixels = np.asarray(gray.resize((_PHASH_INPUT, _PHASH_INPUT), Image.Resampling.LANCZOS), dtype=np.float64)
    low = _DCT @ pixels @ _DCT.T
    return imagehash.ImageHash(low > np.median(low))


def perceptual_hashes(image: Image.Image) -> tuple[str, str]:
    """(phash, dhash) of an upright image, each 16 hex digits."""
    gray = image.convert("L")
    return str(phash(gray)), str(imagehash.dhash(gray))
