"""``shoebox restore``: byte-identical originals back from the bucket, never over another file.

Each photo goes back to its catalogued path, or with ``to`` below that folder keeping
its path relative to its root. A destination that already holds the same bytes is left
as it is; one that holds different bytes is never overwritten and is reported instead.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.catalog.photos import iter_photos
from core.catalog.records import Photo
from core.catalog.roots import list_roots
from core.cloud import ledger
from core.cloud.client import check_access, make_client
from core.cloud.download import ChecksumMismatch, NotInBucket, download_to
from core.cloud.errors import explain
from core.cloud.keys import object_key
from core.cloud.partials import PartialJournal, sweep
from core.cloud.target import CloudTarget
from core.library import Library


@dataclass(slots=True)
class RestoreStats:
    target: str = ""
    photos: int = 0
    restored: int = 0
    identical: int = 0  # already there, byte for byte
    bytes: int = 0
    conflicts: list[str] = field(default_factory=list)  # a different file is in the way
    not_backed_up: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    partials_removed: int = 0  # half-downloaded files a killed earlier run had left, removed
    elapsed: float = 0.0
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def destination(photo: Photo, roots: dict[int, str], to: Path | None) -> Path:
    """Where a photo is restored: its own path, or below ``to`` keeping its path inside its root."""
    if to is None:
        return Path(photo.fs_path)
    root = roots.get(photo.root_id or -1)
    if root and (photo.path == root or photo.path.startswith(root.rstrip(os.sep) + os.sep)):
        relative = os.path.relpath(photo.fs_path, root)
        return to / os.path.basename(root) / relative
    return to / photo.name


def restore_photos(
    library: Library,
    target: CloudTarget,
    *,
    query: str = "",
    to: Path | None = None,
    client: Any = None,
    concurrency: int = 4,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> RestoreStats:
    """Restore the photos matching ``query`` (present and missing ones) and their sidecars."""
    started = time.monotonic()
    client = client or make_client(target, max_connections=concurrency + 2)
    check_access(client, target)
    roots = {r.id: r.path for r in list_roots(library.db)}
    photos = [p for p in iter_photos(library.db, query, include_missing=True) if p.status != "trashed"]
    stats = RestoreStats(target.url, photos=len(photos))
    stats.partials_removed = len(sweep(library.directory))
    journal = PartialJournal(library.directory)
    lock = threading.Lock()
    done = [0]

    def restore_one(photo: Photo) -> None:
        if cancel is not None and cancel.is_set():
            return
        dest = destination(photo, roots, to)
        outcome = _restore_file(client, target, library, photo, dest, journal)
        sidecar_outcomes = [_restore_sidecar(client, target, obj, dest, journal)
                            for obj in ledger.sidecars_of(library.db, target.url, photo.path)]  # fmt: skip
        with lock:
            done[0] += 1
            kind, size = outcome
            if kind == "written":
                stats.restored += 1
                stats.bytes += size
            elif kind == "identical":
                stats.identical += 1
            elif kind == "conflict":
                stats.conflicts.append(str(dest))
            elif kind == "not backed up":
                stats.not_backed_up.append(photo.path)
            else:
                stats.failed.append(f"{photo.path}: {kind}")
            for sidecar_kind, sidecar_path in sidecar_outcomes:
                if sidecar_kind == "conflict":
                    stats.conflicts.append(sidecar_path)
                elif sidecar_kind not in ("written", "identical"):
                    stats.failed.append(f"{sidecar_path}: {sidecar_kind}")
            if progress:
                progress(done[0], len(photos))

    with journal, ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(restore_one, photos))
    stats.cancelled = cancel is not None and cancel.is_set()
    stats.elapsed = time.monotonic() - started
    return stats


def _restore_file(client: Any, target: CloudTarget, library: Library, photo: Photo, dest: Path,
                  journal: PartialJournal) -> tuple[str, int]:  # fmt: skip
    record = ledger.get(library.db, target.url, photo.sha256)
    key = record.key if record else object_key(target, photo.sha256)
    try:
        placed = download_to(client, target.bucket, key, photo.sha256, photo.size, dest, mtime_ns=photo.mtime_ns,
                             journal=journal)  # fmt: skip
    except NotInBucket:
        return "not backed up", 0
    except ChecksumMismatch as exc:
        return f"damaged in the bucket ({exc}); run `shoebox cloud verify`", 0
    except OSError as exc:
        return f"cannot write {dest}: {exc.strerror or exc}", 0
    except Exception as exc:
        return str(explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)), 0
    if placed.outcome == "written" and str(dest) == photo.fs_path and photo.status == "missing":
        ledger.mark_restored(library.db, photo.id)
    return placed.outcome, placed.size


def _restore_sidecar(client: Any, target: CloudTarget, obj: ledger.CloudObject, photo_dest: Path,
                     journal: PartialJournal) -> tuple[str, str]:  # fmt: skip
    name = os.path.basename(obj.source_path or obj.key)
    dest = photo_dest.parent / name
    try:
        return download_to(client, target.bucket, obj.key, obj.sha256, obj.size, dest, journal=journal).outcome, str(
            dest
        )
    except Exception as exc:
        return f"sidecar not restored: {exc}", str(dest)
