"""Reading the sidecars of newly indexed photos, so a library moved over from digiKam,
Lightroom, darktable or Immich arrives with its ratings, keywords and captions.

Runs at the end of an indexing run for the photos stored in it that Shoebox never synced
a sidecar for: one directory listing per folder finds the sidecars, and only those photos
are read (:func:`core.xmp.sync.read_sidecars`; the catalog is written, never the files).
"""

from __future__ import annotations

import os
from itertools import groupby

from core.cloud.sidecars import sidecar_candidates
from core.library import Library
from core.xmp.sync import SidecarResult, read_sidecars


def read_sidecars_of_new_photos(library: Library, since: str) -> list[SidecarResult]:
    """Read the sidecars of photos indexed at or after ``since`` (catalog time) and never synced."""
    rows = library.db.query(
        "SELECT p.id, p.folder, p.path FROM photos p LEFT JOIN xmp_sync x ON x.photo_id = p.id "
        "WHERE p.indexed_at >= ? AND p.status = 'present' AND x.photo_id IS NULL ORDER BY p.folder",
        (since,),
    )
    ids: list[int] = []
    for folder, members in groupby(rows, key=lambda row: row[1]):
        try:
            names = {name for name in os.listdir(folder) if name.lower().endswith(".xmp")}
        except OSError:
            continue
        if not names:
            continue
        for photo_id, _folder, path in members:
            if any(os.path.basename(candidate) in names for candidate in sidecar_candidates(path)):
                ids.append(photo_id)
    return read_sidecars(library, ids) if ids else []
