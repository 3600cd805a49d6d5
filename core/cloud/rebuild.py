"""``shoebox cloud rebuild DIR``: a library recreated from the bucket alone, on a new machine.

The manifest says which objects make up the library and where each photo lived. Every
original is downloaded (and checked against its sha256) to ``DIR/<root name>/<path in
root>``, catalogued from the manifest's metadata (no decoding needed), put back in its
albums and tags, and recorded as already backed up so nothing is uploaded again.
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

from core.annotations.combined import apply_labels
from core.catalog.photos import get_photo_by_path, store_media
from core.catalog.roots import add_root
from core.cloud import ledger
from core.cloud.client import check_access, make_client
from core.cloud.download import ChecksumMismatch, NotInBucket, download_to
from core.cloud.errors import CloudError, error_code, explain
from core.cloud.manifest import fetch_manifest
from core.cloud.partials import PartialJournal, sweep
from core.cloud.target import CloudTarget, load_target, save_target
from core.library import Library
from core.media.records import MediaInfo

_MEDIA_FIELDS = tuple(
    f for f in MediaInfo.__slots__ if f not in ("path", "mtime_ns", "thumbnail_written", "thumbnail_error")
)


@dataclass(slots=True)
class RebuildStats:
    target: str = ""
    directory: str = ""
    photos: int = 0
    downloaded: int = 0
    identical: int = 0
    catalogued: int = 0
    bytes: int = 0
    conflicts: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def root_folders(roots: list[str | None], directory: Path) -> dict[str | None, Path]:
    """A folder below ``directory`` per original root, named after it (``Photos``, ``Photos-2`` …)."""
    folders: dict[str | None, Path] = {}
    used: set[str] = set()
    for root in roots:
        if root in folders:
            continue
        base = os.path.basename(root.rstrip("/")) if root else "unsorted"
        name, n = base or "root", 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        folders[root] = directory / name
    return folders


def rebuild_library(
    library: Library,
    target: CloudTarget,
    directory: Path,
    *,
    client: Any = None,
    concurrency: int = 4,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> RebuildStats:
    """Download every photo of the target's manifest into ``directory`` and catalogue it."""
    started = time.monotonic()
    client = client or make_client(target, max_connections=concurrency + 2)
    check_access(client, target)
    try:
        header, lines = fetch_manifest(client, target)
        records = [r for r in lines if r.get("status") != "trashed"]
    except ValueError as exc:
        raise CloudError(str(exc)) from exc
    except Exception as exc:
        if error_code(exc) in ("NoSuchKey", "404"):
            raise CloudError(f"there is no Shoebox manifest in {target.url}: back a library up there first") from exc
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc
    directory = Path(directory).absolute()
    folders = root_folders([*header.get("roots", []), *(r.get("root") for r in records)], directory)
    stats = RebuildStats(target.url, str(directory), photos=len(records))
    lock = threading.Lock()
    placed_records: list[tuple[dict[str, Any], Path]] = []
    sweep(library.directory)
    journal = PartialJournal(library.directory)

    def fetch(record: dict[str, Any]) -> None:
        if cancel is not None and cancel.is_set():
            return
        dest = folders[record.get("root")] / record["relative"]
        mtime_ns = int(float(record.get("mtime", 0)) * 1e9) or None
        try:
            placed = download_to(client, target.bucket, record["key"], record["sha256"], record["size"], dest,
                                 mtime_ns=mtime_ns, journal=journal)  # fmt: skip
            for sidecar in record.get("sidecars", []):
                download_to(client, target.bucket, sidecar["key"], sidecar["sha256"], sidecar["size"],
                            dest.parent / sidecar["name"], journal=journal)  # fmt: skip
        except (NotInBucket, ChecksumMismatch, OSError) as exc:
            with lock:
                stats.failed.append(f"{dest}: {exc}")
            return
        with lock:
            if placed.outcome == "conflict":
                stats.conflicts.append(str(dest))
                return
            stats.downloaded += placed.outcome == "written"
            stats.identical += placed.outcome == "identical"
            stats.bytes += placed.size
            placed_records.append((record, dest))
            if progress:
                progress(len(placed_records), len(records))

    with journal, ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(fetch, records))
    stats.roots = _catalogue(library, target, folders, placed_records)
    stats.catalogued = len(placed_records)
    if load_target(library.directory) is None:
        save_target(library.directory, target)
    stats.elapsed = time.monotonic() - started
    return stats


def _catalogue(library: Library, target: CloudTarget, folders: dict[str | None, Path],
               placed: list[tuple[dict[str, Any], Path]]) -> list[str]:  # fmt: skip
    """Register the roots, store the photos from the manifest, labels and backup state."""
    root_ids: dict[Path, int] = {}
    used = {folder for folder in folders.values() if folder.exists()}
    for folder in sorted(used):
        root_ids[folder] = add_root(library.db, str(folder)).id
    by_root: dict[int | None, list[MediaInfo]] = {}
    for record, dest in placed:
        root_id = next((rid for folder, rid in root_ids.items() if dest.is_relative_to(folder)), None)
        st = dest.stat()
        values = {name: record.get(name) for name in _MEDIA_FIELDS}
        by_root.setdefault(root_id, []).append(MediaInfo(path=str(dest), mtime_ns=st.st_mtime_ns, **values))
    with library.db.transaction():
        for root_id, infos in by_root.items():
            store_media(library.db, root_id, infos)
    adopted = []
    for record, dest in placed:
        photo = get_photo_by_path(library.db, str(dest))
        if photo is not None:
            apply_labels(library.db, photo.id, record)
        adopted.append((record["sha256"], "original", record["key"], record["size"], None, None))
        for sidecar in record.get("sidecars", []):
            adopted.append((sidecar["sha256"], "sidecar", sidecar["key"], sidecar["size"],
                            str(dest.parent / sidecar["name"]), None))  # fmt: skip
    ledger.adopt(library.db, target.url, adopted)
    return [str(folder) for folder in sorted(used)]
