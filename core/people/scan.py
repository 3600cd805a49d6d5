"""The face scan: find the faces of every photo not yet scanned under the current model.

Photos are read in worker processes (:mod:`core.indexing.workers`' pool: all cores, workers
that die with Shoebox, a dead worker's photos tried again alone) and each photo's result is
written as it arrives, in a transaction of its own (:mod:`core.people.scan_store`), so a run
killed at any moment is finished by the next one and no photo is scanned twice.

What a photo's outcome means for the catalog:

- faces found (or none): stored with the photo's ``face_scans`` row;
- its bytes cannot be decoded (or it crashed the decoder twice): the row records the reason,
  the photo is not tried again under this model, the reason is in ``skipped``;
- the file cannot be read right now (gone, forbidden, an I/O error): nothing is written, it is
  tried again on the next scan, the reason is in ``skipped``.

New faces are then given to the clustering (:func:`core.people.clustering.cluster_new_faces`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from core.indexing.workers import OUT_OF_MEMORY_REASON, PoolWork, default_workers, run_in_pool, run_in_process
from core.library import Library
from core.media.records import UnreadableMedia
from core.people.detect import FileUnavailable, Sizes, find_faces
from core.people.model import default_model, default_model_id
from core.people.scan_store import NewFace, PendingPhoto, pending_photos, store_scan
from core.people.store import encode_vector
from core.progress import ItemProgress, ProgressReporter

#: Below this many photos, scanning in this process beats starting workers that each load the model.
IN_PROCESS_LIMIT = 3
#: Said of a file that could not be read now (it is tried again on the next scan).
RETRY_NOTE = "tried again on the next scan"


@dataclass(slots=True)
class ScanProgress(ItemProgress):
    """A running scan (phase "scanning" | "grouping" | "done", photos done of total), with
    the faces found and photos skipped so far; sent a few times a second."""

    faces: int = 0
    skipped: int = 0


@dataclass(slots=True)
class ScanStats:
    """What a scan did: photos ``scanned`` (faces looked for) and ``faces`` added; photos
    ``skipped`` with the reason; what the clustering made of the new faces."""

    model: str
    scanned: int = 0
    faces: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    persons_formed: int = 0
    faces_joined: int = 0
    elapsed: float = 0.0
    cancelled: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model, "scanned": self.scanned, "faces": self.faces,
            "skipped": [{"path": path, "reason": reason} for path, reason in self.skipped],
            "persons_formed": self.persons_formed, "faces_joined": self.faces_joined,
            "elapsed": self.elapsed, "cancelled": self.cancelled,
        }  # fmt: skip


@dataclass(slots=True)
class PhotoFaces:
    """One photo's outcome in a worker: its faces, or why it has none."""

    photo: PendingPhoto
    faces: list[NewFace] = field(default_factory=list)
    reason: str | None = None  # it could not be scanned
    retry: bool = False  # the file could not be read now: write nothing, try again next time


def scan_one(photo: PendingPhoto, sizes: Sizes) -> PhotoFaces:
    """Worker entry: the faces of one photo; bad input becomes a reason, never an exception."""
    try:
        found = find_faces(photo.path, default_model(), sizes)
    except FileUnavailable as exc:
        return PhotoFaces(photo, reason=f"{exc}; {RETRY_NOTE}", retry=True)
    except UnreadableMedia as exc:
        return PhotoFaces(photo, reason=str(exc))
    except MemoryError:  # the worker's memory limit (see core.indexing.workers.init_worker)
        return PhotoFaces(photo, reason=OUT_OF_MEMORY_REASON)
    except Exception as exc:  # a bug in a decoder or the model must not stop the run
        return PhotoFaces(photo, reason=f"unexpected error while looking for faces: {type(exc).__name__}: {exc}")
    return PhotoFaces(photo, [NewFace(f.box, f.score, encode_vector(f.vector)) for f in found.faces])


def _died(photo: PendingPhoto, reason: str) -> PhotoFaces:
    return PhotoFaces(photo, reason=reason)


def face_work(sizes: Sizes = Sizes()) -> PoolWork[PendingPhoto, PhotoFaces]:
    """The scan's work for the pool: one photo at a time (each takes a few tenths of a second)."""
    return PoolWork(scan_one, _died, sizes, chunk_size=1, preload=("core.people.detect",))


def scan_photos(
    library: Library,
    photo_ids: Sequence[int] | None = None,
    *,
    progress: Callable[[ScanProgress], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
    sizes: Sizes = Sizes(),
) -> ScanStats:
    """Find the faces of the photos (all, or ``photo_ids``) not yet scanned under the current model."""
    started = time.monotonic()
    model = default_model_id()
    stats = ScanStats(model)
    reporter = ProgressReporter(ScanProgress("scanning"), progress)
    pending = pending_photos(library.db, model, photo_ids)
    reporter.state.total = len(pending)
    reporter.report(force=True)
    for outcome in _outcomes(pending, face_work(sizes), workers or default_workers(), cancel):
        _store(library, model, outcome, stats)
        state = reporter.state
        state.done, state.faces, state.skipped = state.done + 1, stats.faces, len(stats.skipped)
        state.current = outcome.photo.path
        reporter.report()
    stats.cancelled = cancel is not None and cancel.is_set()
    if not stats.cancelled:
        reporter.state.phase = "grouping"
        reporter.report(force=True)
        _cluster(library, model, stats)
    stats.elapsed = time.monotonic() - started
    reporter.state.phase = "done"
    reporter.report(force=True)
    return stats


def _outcomes(
    pending: list[PendingPhoto], work: PoolWork[PendingPhoto, PhotoFaces], workers: int, cancel: threading.Event | None
) -> Iterator[PhotoFaces]:
    if workers <= 1 or len(pending) < IN_PROCESS_LIMIT:
        return run_in_process(pending, work, cancel)
    return run_in_pool(pending, work, min(workers, len(pending)), cancel)


def _store(library: Library, model: str, outcome: PhotoFaces, stats: ScanStats) -> None:
    """Write one photo's outcome (its own transaction) and count it."""
    if outcome.reason is not None:
        stats.skipped.append((outcome.photo.path, outcome.reason))
    if outcome.retry:
        return
    added = store_scan(library.db, outcome.photo.photo_id, model, outcome.faces, outcome.reason)
    if added is not None and outcome.reason is None:
        stats.scanned += 1
        stats.faces += added


def _cluster(library: Library, model: str, stats: ScanStats) -> None:
    """Place the new faces in persons (the clustering may not exist yet: then they wait)."""
    from core.people import clustering

    try:
        result = clustering.cluster_new_faces(library.db, model)
    except NotImplementedError:
        return
    stats.persons_formed, stats.faces_joined = result.new_persons, result.joined
