"""Which sidecar belongs to a photo.

Two spellings are in use: ``IMG_1.JPG.xmp`` (darktable, digiKam, Immich; one per file)
and ``IMG_1.xmp`` (Lightroom, for raw files). The short one is only taken as this
photo's when no other file in the folder shares its stem: beside ``IMG_1.CR2`` and
``IMG_1.JPG`` it is the raw file's, and the JPEG gets its own ``IMG_1.JPG.xmp``.
"""

from __future__ import annotations

import os

from core.cloud.sidecars import sidecar_candidates


def sidecar_path(photo_path: str) -> tuple[str, bool]:
    """The sidecar to read and write for ``photo_path``, and whether it exists already."""
    full, full_upper, short, short_upper = sidecar_candidates(photo_path)
    for candidate in (full, full_upper):
        if os.path.isfile(candidate):
            return candidate, True
    for candidate in (short, short_upper):
        if os.path.isfile(candidate) and not _stem_shared(photo_path):
            return candidate, True
    return full, False


def _stem_shared(photo_path: str) -> bool:
    """Whether another file (not a sidecar) in the folder has the photo's stem."""
    folder, name = os.path.split(photo_path)
    stem = os.path.splitext(name)[0]
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return True
    return any(
        other != name and os.path.splitext(other)[0] == stem and not other.lower().endswith(".xmp")
        for other in names
    )
