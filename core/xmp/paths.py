"""Which sidecar belongs to a photo (for reading, writing and backing it up).

Two spellings are in use: ``IMG_1.JPG.xmp`` (darktable, digiKam, Immich; one per file)
and ``IMG_1.xmp`` (Lightroom, for raw files). The short one is only taken as this
photo's when no other file in the folder shares its stem: beside ``IMG_1.CR2`` and
``IMG_1.JPG`` it is the raw file's, and the JPEG gets its own ``IMG_1.JPG.xmp``.
"""

from __future__ import annotations

import os

SIDECAR_EXTENSIONS = (".xmp", ".XMP")


def sidecar_candidates(photo_path: str) -> list[str]:
    """``IMG_1.CR2.xmp`` (darktable) and ``IMG_1.xmp`` (Lightroom) spellings, in that order."""
    stem = os.path.splitext(photo_path)[0]
    return [base + ext for base in (photo_path, stem) for ext in SIDECAR_EXTENSIONS]


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
        other != name and os.path.splitext(other)[0] == stem and not other.lower().endswith(".xmp") for other in names
    )


def sidecars_in_folder(folder: str, photo_names: set[str]) -> list[str]:
    """Sidecar files in ``folder`` belonging to any of ``photo_names`` (one directory listing)."""
    try:
        with os.scandir(folder) as entries:
            xmps = [e for e in entries if e.name.lower().endswith(".xmp") and e.is_file()]
    except OSError:
        return []
    stems = {os.path.splitext(name)[0] for name in photo_names}
    found = []
    for entry in xmps:
        base = entry.name[: -len(".xmp")]
        if base in photo_names or base in stems:
            found.append(entry.path)
    return sorted(found)
