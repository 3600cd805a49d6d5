"""The indexing pipeline: scan roots → pick new/changed files → read them in workers → store
→ post-store stages (:mod:`core.indexing.stages`: XMP sidecars, later faces and places).

The CLI and the TUI both call :func:`index_library`; it never prints. Progress goes to
a callback, cancellation comes through a ``threading.Event``. Results are written in
small transactions as they arrive, so a run killed at any moment leaves a consistent
catalog and the next run only reads what is still missing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from core.catalog import photos as photo_store
from core.catalog.identity import lies_within, read_mounts
from core.catalog.paths import path_to_db
from core.catalog.records import Root
from core.catalog.roots import list_roots, mark_indexed, normalise_root
from core.indexing.progress import IndexProgress, IndexStats
from core.indexing.scan import FolderListing, walk_root
from core.indexing.stage_runner import enabled_stages, run_stages
from core.indexing.stages import IndexStage, cancelled
from core.indexing.workers import Job, JobResult, default_workers, read_in_pool, read_in_process
from core.library import Library
from core.progress import ProgressReporter

ProgressCallback = Callable[[IndexProgress], None]

#: Below this many files, reading in this process beats starting a pool.
IN_PROCESS_LIMIT = 8
#: Write a batch when it holds this many results, or after this many seconds.
BATCH_SIZE = 128
BATCH_SECONDS = 1.0


def index_library(
    library: Library,
    roots: Sequence[str] | None = None,
    *,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    stages: Sequence[IndexStage] | None = None,
) -> IndexStats:
    """Index the library's roots (or only ``roots``), reading only new and changed files,
    then run the post-store ``stages`` (default: the library's enabled ones)."""
    started = time.monotonic()
    stages = enabled_stages(library) if stages is None else stages
    for stage in stages:
        stage.prepare(library)
    selected = _select_roots(library, roots)
    stats = IndexStats(roots=len(selected))
    reporter = ProgressReporter(IndexProgress("scanning"), progress)
    jobs: list[Job] = []
    visited: set[tuple[int, int]] = set()  # folders and files walked: one path each, across roots
    every = list_roots(library.db)
    for root in selected:
        jobs.extend(_scan_root(library, root, selected_all=every, stats=stats, reporter=reporter,
                               cancel=cancel, visited=visited))  # fmt: skip
        if cancelled(cancel):
            break
    stats.cancelled = cancelled(cancel)
    if not stats.cancelled:
        _read_and_store(library, jobs, workers or default_workers(), stats, reporter, cancel)
        stats.cancelled = cancelled(cancel)
    if not stats.cancelled:
        stats.stages = run_stages(library, stages, reporter, cancel)
        stats.cancelled = cancelled(cancel) or any(result.cancelled for result in stats.stages)
    if not stats.cancelled:
        for root in selected:
            mark_indexed(library.db, root.id)
        library.thumbnails.sweep_if_due()
    stats.elapsed = time.monotonic() - started
    reporter.state.phase = "done"
    reporter.report(force=True)
    return stats


def _select_roots(library: Library, roots: Sequence[str] | None) -> list[Root]:
    every = list_roots(library.db)
    if roots is not None:
        wanted = {path_to_db(normalise_root(r))[0] for r in roots}
        every = [root for root in every if root.path in wanted]
    # A root named by its real path is walked before one reached through a link, so
    # when two roots are one folder its photos keep their real paths.
    return sorted(every, key=lambda r: (os.path.realpath(r.path) != r.path, r.path))


def _scan_root(
    library: Library,
    root: Root,
    *,
    selected_all: list[Root],
    stats: IndexStats,
    reporter: ProgressReporter[IndexProgress],
    cancel: threading.Event | None,
    visited: set[tuple[int, int]] | None = None,
) -> list[Job]:
    """Walk one root; store its problems and vanished files; return the files to read."""
    db = library.db
    if not os.path.isdir(root.path):
        photo_store.store_problems(db, root.id, [(root.path, _missing_root_reason(root.path), None, None)])
        stats.files_seen += 1
        stats.problems += 1
        return []
    photo_store.clear_problem(db, root.path)
    reals = {r.path: os.path.realpath(r.path) for r in selected_all}
    mounts = read_mounts()
    nested = {  # other roots below this one, whatever path leads there (a link, a bind mount)
        p for p in reals
        if p != root.path and lies_within(p, root.path, mounts) and not lies_within(root.path, p, mounts)
    }  # fmt: skip
    skip = frozenset(nested | {str(library.directory)})
    jobs: list[Job] = []
    walked: set[str] = set()
    unreadable: list[str] = []
    for listing in walk_root(root.path, skip=skip, cancel=cancel, visited=visited, roots=frozenset(reals.values())):
        folder = path_to_db(listing.folder)[0]
        walked.add(folder)
        if listing.problems:
            stored_problems = photo_store.store_problems(db, root.id, listing.problems)
            stats.files_seen += stored_problems
            stats.problems += stored_problems
        if not listing.readable:
            unreadable.append(folder)
            continue
        jobs.extend(_changed_files(library, root, folder, listing, stats))
        reporter.state.files_seen = stats.files_seen
        reporter.state.problems = stats.problems
        reporter.state.current = listing.folder
        reporter.report()
    if not cancelled(cancel):
        # Folders that were catalogued but are gone now (not below an unreadable folder).
        kept_out = [*unreadable, *skip]
        for folder in photo_store.folders_of_root(db, root.id) - walked:
            if not any(folder == k or folder.startswith(k + os.sep) for k in kept_out):
                stats.missing += photo_store.forget_gone(db, photo_store.paths_in_folder(db, folder))
    return jobs


def _changed_files(
    library: Library, root: Root, folder: str, listing: FolderListing, stats: IndexStats
) -> Iterator[Job]:
    """Files of one folder that are new or changed; marks the vanished ones missing."""
    known = photo_store.known_files(library.db, folder)
    seen = {path_to_db(p[0])[0] for p in listing.problems}
    for entry in listing.files:
        stats.files_seen += 1
        key = path_to_db(entry.path)[0]
        seen.add(key)
        before = known.get(key)
        if (
            before is not None
            and before.status in ("present", "problem")
            and before.size == entry.size
            and before.mtime_ns == entry.mtime_ns
        ):
            stats.unchanged += 1
            continue
        yield Job(entry.path, root.id, entry.size, entry.mtime_ns)
    gone = [path for path in known if path not in seen]
    if gone:
        stats.missing += photo_store.forget_gone(library.db, gone)


def _read_and_store(
    library: Library,
    jobs: list[Job],
    workers: int,
    stats: IndexStats,
    reporter: ProgressReporter[IndexProgress],
    cancel: threading.Event | None,
) -> None:
    """Read the jobs (in a pool when it pays) and write results in small transactions."""
    state = reporter.state
    state.phase = "indexing"
    state.files_total = len(jobs)
    state.bytes_total = sum(job.size for job in jobs)
    reporter.report(force=True)
    if not jobs:
        return
    if workers <= 1 or len(jobs) < IN_PROCESS_LIMIT:
        results = read_in_process(jobs, library.thumbnails, cancel)
    else:
        results = read_in_pool(jobs, library.thumbnails, workers, cancel)
    batch: list[JobResult] = []
    last_write = time.monotonic()
    try:
        for result in results:
            batch.append(result)
            stats.bytes_read += result.job.size
            state.files_done += 1
            state.bytes_done += result.job.size
            state.current = result.job.path
            if is_problem(result):
                stats.problems += 1
                state.problems = stats.problems
            else:
                stats.indexed += 1
            if result.info is not None and result.info.thumbnail_error:
                stats.thumbnails_failed += 1
                stats.thumbnail_problem = stats.thumbnail_problem or result.info.thumbnail_error
            if len(batch) >= BATCH_SIZE or time.monotonic() - last_write >= BATCH_SECONDS:
                stats.stored += _store_batch(library, batch)
                batch.clear()
                last_write = time.monotonic()
            reporter.report()
    finally:
        stats.stored += _store_batch(library, batch)


def is_problem(result: JobResult) -> bool:
    """Whether a read file lands in ``shoebox problems`` (not catalogued, partly, or with a note)."""
    info = result.info
    return info is None or bool(info.error or info.note)


def _store_batch(library: Library, batch: list[JobResult]) -> int:
    """Write one batch of results; photos and problems of a batch commit together."""
    if not batch:
        return 0
    by_root: dict[int | None, list[JobResult]] = {}
    for result in batch:
        by_root.setdefault(result.job.root_id, []).append(result)
    stored = 0
    with library.db.transaction():
        for root_id, results in by_root.items():
            stored += photo_store.store_media(library.db, root_id, [r.info for r in results if r.info])
            photo_store.store_problems(
                library.db,
                root_id,
                [(r.job.path, r.reason, r.job.size, r.job.mtime_ns) for r in results if r.reason],
            )
    return stored


def _missing_root_reason(path: str) -> str:
    if os.path.exists(path):
        return "this root is not a folder"
    return "root folder not found (is the drive mounted?); its catalogued photos are kept"
