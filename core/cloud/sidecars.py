"""XMP sidecars: the edits and ratings other tools keep beside a photo."""

from __future__ import annotations

import os

SIDECAR_EXTENSIONS = (".xmp", ".XMP")


def sidecar_candidates(photo_path: str) -> list[str]:
    """``IMG_1.CR2.xmp`` (darktable) and ``IMG_1.xmp`` (Lightroom) spellings, in that order."""
    stem = os.path.splitext(photo_path)[0]
    return [base + ext for base in (photo_path, stem) for ext in SIDECAR_EXTENSIONS]


def find_sidecars(photo_path: str) -> list[str]:
    """Sidecar files that exist for ``photo_path`` (no duplicates on case-insensitive disks)."""
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    for candidate in sidecar_candidates(photo_path):
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) not in seen and os.path.isfile(candidate):
            seen.add((st.st_dev, st.st_ino))
            found.append(candidate)
    return found


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
