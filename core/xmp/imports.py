"""Reading sidecars without being asked: those of newly indexed photos, so a library moved
over from digiKam, Lightroom, darktable or Immich arrives with its ratings, keywords and
captions; and, while ``shoebox watch`` runs, those another tool just changed.

After an indexing run stores photos, the sidecars stage (:mod:`core.xmp.stage`) finds,
with one directory listing per folder, the sidecars of the photos stored that Shoebox
never synced. Only photos with a sidecar are read (:func:`core.xmp.sync.read_sidecars`;
the catalog is written, never the files).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from itertools import groupby

from core.catalog.photos import get_photo_by_path, paths_in_folder
from core.library import Library
from core.xmp.paths import sidecar_candidates, sidecars_in_folder
from core.xmp.sync import read_sidecars


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
        ids += with_sidecars(library.db.query(
            f"SELECT id, folder, path FROM photos WHERE id IN ({marks}) ORDER BY folder", new_photo_ids))  # fmt: skip
    if not ids:
        return 0
    return sum(r.action == "read" for r in read_sidecars(library, list(dict.fromkeys(ids))))


def with_sidecars(rows: Iterable[tuple[int, str, str]]) -> list[int]:
    """Ids among ``(id, folder, path)`` rows, sorted by folder, whose photo has a sidecar
    beside it: one directory listing per folder."""
    ids: list[int] = []
    for folder, members in groupby(rows, key=lambda row: row[1]):
        members = list(members)
        found = {os.path.basename(p) for p in sidecars_in_folder(folder, {os.path.basename(row[2]) for row in members})}
        ids += [photo_id for photo_id, _folder, path in members
                if any(os.path.basename(candidate) in found for candidate in sidecar_candidates(path))]  # fmt: skip
    return ids
