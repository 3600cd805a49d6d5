"""Reading sidecars without being asked: those of newly indexed photos, so a library moved
over from digiKam, Lightroom, darktable or Immich arrives with its ratings, keywords and
captions; and, while ``shoebox watch`` runs, those another tool just changed.

At the end of an indexing run, one directory listing per folder finds the sidecars of the
photos stored in it that Shoebox never synced. Only photos with a sidecar are read
(:func:`core.xmp.sync.read_sidecars`; the catalog is written, never the files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from itertools import groupby

from core.catalog.photos import get_photo_by_path, paths_in_folder
from core.library import Library
from core.xmp.paths import sidecar_candidates, sidecars_in_folder
from core.xmp.results import SidecarResult
from core.xmp.sync import read_sidecars


def read_sidecars_of_new_photos(library: Library, since: str) -> list[SidecarResult]:
    """Read the sidecars of photos indexed at or after ``since`` (catalog time) and never synced."""
    rows = library.db.query(
        "SELECT p.id, p.folder, p.path FROM photos p LEFT JOIN xmp_sync x ON x.photo_id = p.id "
        "WHERE p.indexed_at >= ? AND p.status = 'present' AND x.photo_id IS NULL ORDER BY p.folder",
        (since,),
    )
    ids = _with_sidecars(rows)
    return read_sidecars(library, ids) if ids else []


def photos_of_sidecars(library: Library, sidecars: list[str]) -> list[int]:
    """Catalogued photos that ``sidecars`` (changed files ending in ``.xmp``) belong to."""
    ids: list[int] = []
    for sidecar in sidecars:
        base = sidecar[: -len(".xmp")]
        photo = get_photo_by_path(library.db, base)  # IMG_1.JPG.xmp
        if photo is not None:
            ids.append(photo.id)
            continue
        folder, stem = os.path.split(base)  # IMG_1.xmp: any photo named IMG_1.* in the folder
        for path in paths_in_folder(library.db, folder):
            if os.path.splitext(os.path.basename(path))[0] == stem and (found := get_photo_by_path(library.db, path)):
                ids.append(found.id)
    return list(dict.fromkeys(ids))


def read_changed_sidecars(library: Library, changed: list[str], new_photo_ids: list[int]) -> int:
    """Read sidecars that changed on disk and those of photos that just arrived; returns how
    many brought something into the catalog. Sidecars Shoebox wrote itself read as unchanged."""
    sidecars = [p for p in changed if p.lower().endswith(".xmp") and not os.path.basename(p).startswith(".")
                and os.path.isfile(p)]  # fmt: skip
    ids = photos_of_sidecars(library, sidecars)
    if new_photo_ids:
        marks = ", ".join("?" * len(new_photo_ids))
        ids += _with_sidecars(library.db.query(
            f"SELECT id, folder, path FROM photos WHERE id IN ({marks}) ORDER BY folder", new_photo_ids))  # fmt: skip
    if not ids:
        return 0
    return sum(r.action == "read" for r in read_sidecars(library, list(dict.fromkeys(ids))))


def _with_sidecars(rows: Iterable[tuple[int, str, str]]) -> list[int]:
    """Ids among ``(id, folder, path)`` rows, sorted by folder, whose photo has a sidecar
    beside it: one directory listing per folder."""
    ids: list[int] = []
    for folder, members in groupby(rows, key=lambda row: row[1]):
        members = list(members)
        found = {os.path.basename(p) for p in sidecars_in_folder(folder, {os.path.basename(row[2]) for row in members})}
        ids += [photo_id for photo_id, _folder, path in members
                if any(os.path.basename(candidate) in found for candidate in sidecar_candidates(path))]  # fmt: skip
    return ids
