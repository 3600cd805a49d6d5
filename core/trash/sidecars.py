"""A trashed photo's own XMP sidecar goes with it, and comes back with it.

The sidecar moves after the photo's move is committed, as a second, best-effort step: if
it cannot move (or the process dies first) it simply stays beside the original path, so it
is never lost either way. It lands next to the photo in ``<library>/trash/<entry id>/``;
a restore puts it back beside the restored photo (renamed to match if the photo came back
under a free name, never over an existing file), and a purge deletes it with the photo.
Only the photo's own sidecar moves: a Lightroom ``IMG_1.xmp`` that a raw file ``IMG_1.CR2``
still shares stays where it is (see :mod:`core.xmp.paths`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from core.trash.files import free_name, move_file, sha256_of
from core.xmp.paths import sidecar_path

log = logging.getLogger(__name__)


def trash_sidecar(photo_path: str, trashed_photo: Path) -> str | None:
    """Move ``photo_path``'s sidecar beside the trashed photo; returns where it went (or None)."""
    path, exists = sidecar_path(photo_path)
    if not exists:
        return None
    target = trashed_photo.parent / os.path.basename(path)
    try:
        move_file(path, target, sha256=sha256_of(path))
    except OSError as exc:
        log.warning("the sidecar %s stays beside the original: %s", path, exc.strerror or exc)
        return None
    return str(target)


def restore_sidecar(trashed_photo: Path, original: str, destination: str) -> str | None:
    """Put the sidecar kept beside ``trashed_photo`` back beside the restored photo."""
    kept = _kept_sidecars(trashed_photo)
    if not kept:
        return None
    source = kept[0]
    old_name, new_name = os.path.basename(original), os.path.basename(destination)
    name = source.name
    if name.startswith(old_name):  # IMG_1.jpg.xmp follows IMG_1 (restored).jpg
        name = new_name + name[len(old_name) :]
    else:  # IMG_1.xmp follows the stem
        name = os.path.splitext(new_name)[0] + name[len(os.path.splitext(old_name)[0]) :]
    target = free_name(os.path.join(os.path.dirname(destination), name))
    try:
        move_file(source, target, sha256=sha256_of(source))
    except OSError as exc:
        log.warning("the sidecar %s stays in the trash: %s", source, exc.strerror or exc)
        return None
    return target


def purge_sidecars(trashed_photo: Path) -> None:
    """Delete the sidecars kept beside a trashed photo (its purge deletes the photo too)."""
    for sidecar in _kept_sidecars(trashed_photo):
        sidecar.unlink(missing_ok=True)


def _kept_sidecars(trashed_photo: Path) -> list[Path]:
    try:
        return sorted(p for p in trashed_photo.parent.iterdir() if p.name.lower().endswith(".xmp") and p.is_file())
    except OSError:
        return []
