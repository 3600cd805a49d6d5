"""Keeping photos' XMP sidecars and the catalog in step, in both directions.

``write_sidecars`` puts what the user gave photos in Shoebox (rating, tags, caption,
favourite, albums, named faces as MWG regions; a capture date and place the sidecar lacks)
into each photo's sidecar, creating ``NAME.EXT.xmp`` when there is none. ``read_sidecars`` takes what other tools
wrote there into the catalog. Neither ever opens an original for writing.

Nothing in a sidecar is lost to a write: what each sidecar held is remembered when
Shoebox reads or writes it (table ``xmp_sync``: its sha256 and its marks), and a sidecar
that changed since (edited in digiKam or Lightroom, or never seen) is first merged into
the catalog (core/xmp/merge.py; face regions: core/xmp/faces.py) and only then written. A sidecar still as Shoebox left it
is written exactly as the catalog says, so a tag removed in Shoebox is removed from the
sidecar too. Files are replaced atomically (a temporary file, fsync, rename) and only if
nobody touched them while they were read; every other property in them is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable

from core.annotations.combined import sidecar_fields
from core.catalog.db import Database
from core.catalog.photos import get_photo, now_iso, set_capture_date, set_position
from core.catalog.records import Photo
from core.collections import (
    add_to_album_named,
    set_caption,
    set_favourite,
    set_rating,
    tag_photos,
    untag_photos,
)  # fmt: skip
from core.collections.annotations import annotations_of
from core.collections.spelling import spelled_as_known
from core.library import Library
from core.xmp.faces import place_faces_near_taken, take_faces, write_faces
from core.xmp.fields import MARKS, SidecarFields, has_marks, read_fields, write_marks, write_place_and_date
from core.xmp.merge import CatalogChanges, merge_marks
from core.xmp.packet import XmpError, XmpPacket
from core.xmp.paths import sidecar_path
from core.xmp.results import SidecarResult

#: Capture-date sources that are the camera's own (a date from the file's mtime is a guess).
CAMERA_DATE_SOURCES = ("exif", "exif-create", "xmp", "video")
#: Sidecars larger than this are not read (darktable histories stay far below it).
MAX_SIDECAR_BYTES = 16 * 1024 * 1024

Progress = Callable[[int, int], None]


class _Skip(Exception):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(reason)
        self.action = action


def write_sidecars(library: Library, photo_ids: Iterable[int], progress: Progress | None = None) -> list[SidecarResult]:
    """Write the catalog's view of each photo into its sidecar (see the module docstring)."""
    return _each(library, photo_ids, _write_one, progress)


def read_sidecars(library: Library, photo_ids: Iterable[int], progress: Progress | None = None) -> list[SidecarResult]:
    """Take into the catalog what each photo's sidecar says (ratings, captions and a
    favourite flag from the sidecar replace the catalog's; tags and albums are joined)."""
    return _each(library, photo_ids, _read_one, progress)


def _each(library: Library, photo_ids: Iterable[int], one: Callable[[Database, Photo], SidecarResult],
          progress: Progress | None) -> list[SidecarResult]:  # fmt: skip
    ids = list(dict.fromkeys(photo_ids))
    results = []
    for done, photo_id in enumerate(ids, 1):
        photo = get_photo(library.db, photo_id)
        if photo is None:
            results.append(SidecarResult(photo_id, "", None, "skipped", reason="not in the catalog"))
        elif photo.status != "present":
            results.append(
                SidecarResult(photo_id, photo.path, None, "skipped", reason="the photo is missing from disk")
            )
        else:
            try:
                results.append(one(library.db, photo))
            except _Skip as skip:
                results.append(
                    SidecarResult(photo_id, photo.path, sidecar_path(photo.fs_path)[0], skip.action, reason=str(skip))
                )
        if progress is not None:
            progress(done, len(ids))
    place_faces_near_taken(library.db, results)
    return results


def _write_one(db: Database, photo: Photo) -> SidecarResult:
    path, exists = sidecar_path(photo.fs_path)
    if exists:
        data, before_stat = _read(path)
        packet = _parse(data)
        before = read_fields(packet)
        taken = _take_changes(db, photo, path, data, packet, before, prefer_sidecar=False) or []
    else:
        data, before_stat, packet, before, taken = None, None, XmpPacket.new(), SidecarFields(), []
    wanted = SidecarFields(**sidecar_fields(db, photo.id))
    if not exists and not has_marks(wanted):
        return SidecarResult(photo.id, photo.path, None, "unchanged", reason="nothing to write")
    write_marks(packet, wanted)
    faces_written = write_faces(db, photo, packet)
    current = (get_photo(db, photo.id) or photo) if {"taken_at", "gps"} & set(taken) else photo
    dated = current.taken_at if current.taken_at_source in CAMERA_DATE_SOURCES else None
    located = (
        (current.gps_lat, current.gps_lon, current.gps_alt)
        if current.gps_lat is not None and current.gps_lon is not None
        else None
    )
    added = write_place_and_date(packet, dated, located)
    after = read_fields(packet)
    changed = [name for name in MARKS if getattr(before, name) != getattr(after, name)]
    changed += added + (["faces"] if faces_written and "faces" not in changed else [])
    display = _display(path)
    if exists and not changed:
        _remember(db, photo.id, path, data, after)  # type: ignore[arg-type]
        return SidecarResult(photo.id, photo.path, display, "unchanged", taken)
    new = packet.to_bytes()
    _replace(path, new, before_stat)
    _remember(db, photo.id, path, new, after)
    return SidecarResult(photo.id, photo.path, display, "written" if exists else "created", taken, changed)


def _read_one(db: Database, photo: Photo) -> SidecarResult:
    path, exists = sidecar_path(photo.fs_path)
    if not exists:
        raise _Skip("skipped", "no sidecar")
    data, _stat = _read(path)
    packet = _parse(data)
    taken = _take_changes(db, photo, path, data, packet, read_fields(packet), prefer_sidecar=True)
    return SidecarResult(photo.id, photo.path, _display(path), "read" if taken else "unchanged", taken or [])


def _take_changes(db: Database, photo: Photo, path: str, data: bytes, packet: XmpPacket, found: SidecarFields, *,
                  prefer_sidecar: bool) -> list[str] | None:  # fmt: skip
    """Merge a sidecar changed since Shoebox last saw it into the catalog, and remember it;
    returns the fields the catalog took (``None``: the sidecar is as Shoebox left it)."""
    base = _base(db, photo.id, path, data)
    if base is _CLEAN:
        return None
    with db.transaction():
        notes = annotations_of(db, [photo.id])[photo.id]
        changes = merge_marks(notes, found, base, prefer_sidecar=prefer_sidecar)  # type: ignore[arg-type]
        _apply(db, photo.id, changes)
        taken = changes.changed() + _take_place_and_date(db, photo, found, prefer_sidecar=prefer_sidecar)
        if take_faces(db, photo, packet, base, prefer_sidecar=prefer_sidecar):  # type: ignore[arg-type]
            taken.append("faces")
        _remember(db, photo.id, path, data, found)
    return taken


def _apply(db: Database, photo_id: int, changes: CatalogChanges) -> None:
    if changes.sets("rating"):
        set_rating(db, [photo_id], changes.rating)  # type: ignore[arg-type]
    if changes.sets("caption"):
        set_caption(db, [photo_id], changes.caption)  # type: ignore[arg-type]
    if changes.sets("favourite"):
        set_favourite(db, [photo_id], bool(changes.favourite))
    if changes.tags_added:
        tag_photos(db, [photo_id], [spelled_as_known(db, "tags", name) for name in changes.tags_added])
    if changes.tags_removed:
        untag_photos(db, [photo_id], changes.tags_removed)
    for name in changes.albums_added:
        add_to_album_named(db, spelled_as_known(db, "albums", name), [photo_id])


def _take_place_and_date(db: Database, photo: Photo, found: SidecarFields, *, prefer_sidecar: bool) -> list[str]:
    """A capture date and GPS position from the sidecar: where the catalog has none (its
    date only a file time), or on an explicit read wherever they differ."""
    taken = []
    camera_dated = photo.taken_at_source in CAMERA_DATE_SOURCES
    if found.taken_at and found.taken_at != photo.taken_at and (prefer_sidecar or not camera_dated):
        set_capture_date(db, photo.id, found.taken_at, "xmp")
        taken.append("taken_at")
    located = photo.gps_lat is not None and photo.gps_lon is not None
    if found.gps is not None and (
        not located or (prefer_sidecar and _moved(found.gps, (photo.gps_lat, photo.gps_lon)))
    ):  # type: ignore[arg-type]
        set_position(db, photo.id, *found.gps)
        taken.append("gps")
    return taken


def _moved(a: tuple[float, float, float | None], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) > 1e-6 or abs(a[1] - b[1]) > 1e-6


# --- files and sync state ---------------------------------------------------------------


def _read(path: str) -> tuple[bytes, os.stat_result]:
    try:
        st = os.stat(path)
        if st.st_size > MAX_SIDECAR_BYTES:
            raise _Skip("failed", f"the sidecar is {st.st_size // 1_048_576} MB; not an XMP sidecar Shoebox reads")
        with open(path, "rb") as handle:
            return handle.read(), st
    except OSError as exc:
        raise _Skip("failed", f"cannot read the sidecar: {exc.strerror or exc}") from exc


def _parse(data: bytes) -> XmpPacket:
    try:
        return XmpPacket.parse(data)
    except XmpError as exc:
        raise _Skip("failed", f"the sidecar is not a readable XMP packet ({exc}); it was left as it is") from exc


def _replace(path: str, data: bytes, before: os.stat_result | None) -> None:
    """Write ``data`` over ``path`` atomically, unless someone changed the file since it was read.

    A sidecar with no write permission is the user saying "leave it"; a symlinked one is
    written where the link points, so the link stays a link."""
    if before is not None and not before.st_mode & 0o222:
        raise _Skip("failed", "the sidecar is read-only; it was left as it is")
    path = os.path.realpath(path)
    folder, name = os.path.split(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".shoebox-tmp", dir=folder or ".")
    except OSError as exc:
        raise _Skip("failed", f"cannot write beside the photo: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if before is not None:
            os.chmod(tmp, stat.S_IMODE(before.st_mode))
            now = os.stat(path)
            if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
                raise _Skip("failed", "the sidecar changed while Shoebox was writing it; run again")
        else:
            os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        raise _Skip("failed", f"cannot write the sidecar: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_CLEAN = object()


def _base(db: Database, photo_id: int, path: str, data: bytes) -> object:
    """``_CLEAN`` when the sidecar holds the very bytes Shoebox last read or wrote; else the
    marks it held then (``None`` when Shoebox never saw this sidecar).

    A record from before sidecars carried face regions (no ``faces`` in it) is never clean:
    the regions in that sidecar were never read."""
    row = db.conn.execute("SELECT path, sha256, marks FROM xmp_sync WHERE photo_id = ?", (photo_id,)).fetchone()
    if row is None or row[0] != _display(path):
        return None
    marks = json.loads(row[2])
    if row[1] == hashlib.sha256(data).hexdigest() and "faces" in marks:
        return _CLEAN
    return SidecarFields.from_marks_json(marks)


def _remember(db: Database, photo_id: int, path: str, data: bytes, fields: SidecarFields) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO xmp_sync (photo_id, path, sha256, marks, synced_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (photo_id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, "
            "marks = excluded.marks, synced_at = excluded.synced_at",
            (photo_id, _display(path), hashlib.sha256(data).hexdigest(), json.dumps(fields.marks_json()), now_iso()),
        )


def _display(path: str) -> str:
    """A path safe to store and print (names that are not UTF-8 keep their escapes)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
