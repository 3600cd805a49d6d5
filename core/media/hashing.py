"""Content and perceptual hashes.

``sha256`` identifies the bytes (exact duplicates, content-addressed backup). ``phash``
and ``dhash`` (64 bits as 16 hex digits) describe what the upright picture looks like,
so resized, recompressed or converted copies land close together.

``phash`` is imagehash's algorithm (32×32 greyscale, 2-D DCT-II, the 8×8 lowest
frequencies against their median) computed with a precomputed DCT matrix in numpy:
the same bits as ``imagehash.phash`` (a test checks it), without importing scipy, which
would add 0.2 s to the start of every indexing worker and CLI command.

``crop_hashes`` are the same two hashes of five *crop hypotheses* of the picture — its
centre and the picture less a strip on each side (:data:`CROP_HYPOTHESES`). A whole-frame
64-bit hash moves by 10–20 bits under a 7–10 % crop, so a cropped copy's whole-frame hash
is compared with the original's hypotheses instead (``core.duplicates.finder``): measured
on the generated evaluation set (``bench/dupes_eval.py``), this takes candidate recall on
crops up to 10 % (one side or all sides) from ~0.80 to ~0.99 at the same threshold.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image

CHUNK = 1 << 20
#: Each hypothesis is the (left, top, right, bottom) box kept, as fractions of the picture:
#: the centre less 3.5 % a side, and the picture less 7 % on one side. A copy cropped by up
#: to ~5 % hashes close to the whole frame, one cropped by 4–10 % close to a hypothesis.
CROP_AMOUNT = 0.07
CROP_HYPOTHESES: tuple[tuple[float, float, float, float], ...] = (
    (CROP_AMOUNT / 2, CROP_AMOUNT / 2, 1 - CROP_AMOUNT / 2, 1 - CROP_AMOUNT / 2),
    (CROP_AMOUNT, 0.0, 1.0, 1.0),
    (0.0, 0.0, 1 - CROP_AMOUNT, 1.0),
    (0.0, CROP_AMOUNT, 1.0, 1.0),
    (0.0, 0.0, 1.0, 1 - CROP_AMOUNT),
)
#: Side the crop hypotheses are cut from: enough for a 32-px phash, and small enough that
#: ten hashes cost ~1.5 ms; a backfill from 256-px thumbnails and indexing from a draft
#: decode both come down to it, so they give (nearly) the same bits.
CROP_HASH_SIDE = 128
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


def crop_hashes(image: Image.Image) -> bytes:
    """The phash then the dhash of each of :data:`CROP_HYPOTHESES` of an upright image.

    Packed as big-endian 64-bit values (phashes first): ``2 * len(CROP_HYPOTHESES) * 8``
    bytes, as stored in the catalog's ``photos.crop_hashes``.
    """
    gray = image.convert("L")
    if max(gray.size) > CROP_HASH_SIDE:
        gray = gray.copy()
        gray.thumbnail((CROP_HASH_SIDE, CROP_HASH_SIDE), Image.Resampling.BILINEAR)
    width, height = gray.size
    regions = [
        gray.crop((round(left * width), round(top * height), round(right * width), round(bottom * height)))
        for left, top, right, bottom in CROP_HYPOTHESES
    ]
    values = [int(str(phash(region)), 16) for region in regions]
    values += [int(str(imagehash.dhash(region)), 16) for region in regions]
    return b"".join(value.to_bytes(8, "big") for value in values)
