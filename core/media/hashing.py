"""Content and perceptual hashes.

``sha256`` identifies the bytes (exact duplicates, content-addressed backup). ``phash``
and ``dhash`` (imagehash, 64 bits as 16 hex digits) describe what the upright picture
looks like, so resized, recompressed or converted copies land close together.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import imagehash
from PIL import Image

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    """sha256 of a file read in 1 MiB chunks (for files too big to hold in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def perceptual_hashes(image: Image.Image) -> tuple[str, str]:
    """(phash, dhash) of an upright image, each 16 hex digits."""
    gray = image.convert("L")
    return str(imagehash.phash(gray)), str(imagehash.dhash(gray))
