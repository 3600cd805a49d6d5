"""The ``sidecars`` index stage: read the XMP sidecars of photos indexing just stored.

A photo is done once it has been looked at after it was (re)indexed: either its sidecar
was read (it has an ``xmp_sync`` row) or it was indexed before the stage's checkpoint,
the catalog time at which the stage last went through every pending photo. The
checkpoint moves only when a run finished, so a run killed (or stopped) after storing
photos and before or during this stage leaves them pending for the next one. A library
that never had a checkpoint gets one when its first run starts: photos catalogued before
are never read unasked (a sidecar's rating would replace the one given in Shoebox).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import groupby

from core.catalog.photos import now_iso
from core.indexing.stages import IndexStage, StageProgress, StageResult, cancelled
from core.library import Library
from core.xmp.imports import with_sidecars
from core.xmp.sync import read_sidecars

#: kv key: catalog time since which stored photos have not all been looked at.
CHECKPOINT_KEY = "index.sidecars.checked_since"
_PENDING = (
    "SELECT p.id, p.folder, p.path FROM photos p LEFT JOIN xmp_sync x ON x.photo_id = p.id "
    "WHERE p.indexed_at >= ? AND p.status = 'present' AND x.photo_id IS NULL ORDER BY p.folder, p.id"
)
_CHUNK = 500


class SidecarStage(IndexStage):
    """Ratings, keywords and captions from other tools' sidecars of newly indexed photos."""

    name = "sidecars"
    title = "Reading XMP sidecars"
    help = "read ratings, keywords and captions from the XMP sidecars of new photos (digiKam, Lightroom, darktable)"
    in_watch = False  # watch reads every changed sidecar (of new photos too) itself

    def prepare(self, library: Library) -> None:
        if checkpoint(library) is None:
            with library.db.transaction() as conn:
                conn.execute("INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)", (CHECKPOINT_KEY, now_iso()))

    def pending(self, library: Library) -> list[int]:
        return [int(row[0]) for row in _pending_rows(library)]

    def run(self, library: Library, photo_ids: Sequence[int] | None, progress: StageProgress,
            cancel: threading.Event | None) -> StageResult:  # fmt: skip
        started = now_iso()  # photos stored from now on are looked at by the next run
        rows = _pending_rows(library) if photo_ids is None else _rows_of(library, photo_ids)
        result = StageResult(self.name, figures={"read": 0})
        progress(0, len(rows))
        for _folder, members in groupby(rows, key=lambda row: row[1]):
            if cancelled(cancel):
                result.cancelled = True
                break
            members = list(members)
            with_sidecar = with_sidecars(members)  # one directory listing for the folder
            if with_sidecar:
                result.figures["read"] += sum(r.action == "read" for r in read_sidecars(library, with_sidecar))
            result.photos += len(members)
            progress(result.photos, len(rows))
        if photo_ids is None and rows and not result.cancelled:
            with library.db.transaction() as conn:
                conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (CHECKPOINT_KEY, started))
        read = result.figures["read"]
        if read:
            result.summary = f"read {read} XMP sidecar{'s' if read != 1 else ''} (ratings, keywords, captions)"
        return result


def checkpoint(library: Library) -> str | None:
    """The stage's checkpoint (None before the library's first run with stages)."""
    value = library.db.scalar("SELECT value FROM kv WHERE key = ?", (CHECKPOINT_KEY,))
    return None if value is None else str(value)


def _pending_rows(library: Library) -> list[tuple[int, str, str]]:
    since = checkpoint(library)
    if since is None:
        return []
    return [(row[0], row[1], row[2]) for row in library.db.query(_PENDING, (since,))]


def _rows_of(library: Library, photo_ids: Sequence[int]) -> list[tuple[int, str, str]]:
    """``(id, folder, path)`` of the present photos among ``photo_ids``, by folder."""
    ids = list(dict.fromkeys(photo_ids))
    rows: list[tuple[int, str, str]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows += [(r[0], r[1], r[2]) for r in library.db.query(
            f"SELECT id, folder, path FROM photos WHERE status = 'present' AND id IN ({marks})", tuple(chunk))]  # fmt: skip
    return sorted(rows, key=lambda row: (row[1], row[0]))
