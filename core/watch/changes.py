"""Applying a settled batch of file-system changes to the catalog.

New and changed files are read like the indexer reads them. A new file whose content
(sha256) matches a photo that just vanished, or one already marked missing, is that
photo moved: its row is updated in place, so its id — and with it albums, tags, marks
and backup state — is kept instead of a new photo being imported. XMP sidecars that another
tool changed, and those of photos that arrived, are read into the catalog (core/xmp/imports.py).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.moves import merge_split_moves, moved_from, relocate, vanished_under
from core.catalog.photos import forget_gone, get_photo_by_path, store_media, store_problems
from core.catalog.roots import list_roots
from core.indexing.scan import admitted_file, walk_root
from core.indexing.stage_runner import run_for_photos
from core.indexing.stages import StageResult
from core.indexing.workers import Job, JobResult, read_in_pool, read_in_process
from core.library import Library
from core.media.formats import is_media_name
from core.xmp.imports import read_changed_sidecars

#: Batches larger than this are read in a process pool.
POOL_THRESHOLD = 8


@dataclass(slots=True)
class ChangeStats:
    indexed: int = 0
    moved: int = 0
    missing: int = 0
    problems: int = 0
    unchanged: int = 0
    new_photo_ids: list[int] = field(default_factory=list)
    unsettled: list[str] = field(default_factory=list)
    sidecars_read: int = 0  # XMP sidecars changed by another tool (or of new photos) read into the catalog
    stages: list[StageResult] = field(default_factory=list)  # the other index stages run on the new photos


def _root_of(path: str, roots: list[tuple[str, int]]) -> int | None:
    """The id of the deepest root holding ``path``."""
    best: tuple[int, int | None] = (-1, None)
    for root, root_id in roots:
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            if len(root) > best[0]:
                best = (len(root), root_id)
    return best[1]


def expand(paths: Iterable[str], library_dir: str, *, pending: frozenset[str] = frozenset(),
           settle: float = 0.0, roots: Iterable[str] = ()) -> tuple[list[str], list[str]]:  # fmt: skip
    """Media files among ``paths``, with folders (moved or copied in) walked: (ready, unsettled).

    The indexer's rules hold (:func:`core.indexing.scan.walk_root`): a path reached through a
    link to a folder, a link to a file inside a root, system and library folders are passed
    over, so the watcher never adds a second path of one file. With no ``roots`` given, a
    path is taken as its own root. A file found inside a folder that is still being waited
    on (``pending``) or that was modified less than ``settle`` seconds ago is "unsettled":
    it is being copied right now.
    """
    root_list = [r for r in roots]
    reals = frozenset(os.path.realpath(r) for r in root_list)
    files: list[str] = []
    unsettled: list[str] = []
    recent = time.time() - settle
    for path in paths:
        if path == library_dir or path.startswith(library_dir + os.sep):
            continue
        root = _deepest_root(path, root_list) or path
        if os.path.isdir(path):
            if not admitted_file(os.path.join(path, "x"), root, reals):
                continue  # the folder itself is reached through a link, or is a system folder
            for listing in walk_root(path, skip=frozenset({library_dir}), roots=reals, within=root):
                for entry in listing.files:
                    young = settle and entry.mtime_ns / 1e9 > recent
                    (unsettled if entry.path in pending or young else files).append(entry.path)
        elif (os.path.isfile(path) and is_media_name(os.path.basename(path)) and not os.path.basename(path).startswith(".")
              and admitted_file(path, root, reals)):  # fmt: skip
            files.append(path)
    return list(dict.fromkeys(files)), [p for p in dict.fromkeys(unsettled) if p not in pending]


def _deepest_root(path: str, roots: list[str]) -> str | None:
    inside = [r for r in roots if path == r or path.startswith(r.rstrip(os.sep) + os.sep)]
    return max(inside, key=len, default=None)


def vanished_rows(library: Library, paths: Iterable[str]) -> dict[str, int]:
    """Present photos at (or below, for folders) ``paths`` that are no longer on disk: path → id."""
    found: dict[str, int] = {}
    for path in paths:
        found.update(vanished_under(library.db, path))
    return found


def apply_changes(library: Library, changed: Iterable[str], deleted: Iterable[str], *, workers: int = 1,
                  pending: frozenset[str] = frozenset(), settle: float = 0.0,
                  cancel: threading.Event | None = None) -> ChangeStats:  # fmt: skip
    """Index ``changed`` paths (files or folders), reflect ``deleted`` ones, recognise moves.

    Files found in changed folders that are still being written are left out and listed
    in ``stats.unsettled`` for the caller to look at again later.
    """
    stats = ChangeStats()
    roots = [(r.path, r.id) for r in list_roots(library.db)]
    gone = vanished_rows(library, deleted)
    jobs: list[Job] = []
    files, stats.unsettled = expand(changed, str(library.directory), pending=pending, settle=settle,
                                    roots=[path for path, _ in roots])  # fmt: skip
    for path in files:
        root_id = _root_of(path, roots)
        if root_id is None:
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        known = get_photo_by_path(library.db, path)
        if (
            known is not None
            and known.status == "present"
            and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns)
        ):
            stats.unchanged += 1
            continue
        jobs.append(Job(path, root_id, st.st_size, st.st_mtime_ns))
    if jobs:
        reader = read_in_pool if len(jobs) > POOL_THRESHOLD and workers > 1 else None
        results = (reader(jobs, library.thumbnails, workers, cancel) if reader
                   else read_in_process(jobs, library.thumbnails, cancel))  # fmt: skip
        for result in results:
            _store(library, result, gone, stats)
    if gone:
        stats.missing += forget_gone(library.db, list(gone))
    stats.sidecars_read = read_changed_sidecars(library, list(changed), stats.new_photo_ids)
    stats.stages = run_for_photos(library, stats.new_photo_ids, cancel)
    return stats


def _store(library: Library, result: JobResult, gone: dict[str, int], stats: ChangeStats) -> None:
    job = result.job
    if result.info is None:
        store_problems(library.db, job.root_id, [(job.path, result.reason or "unreadable", job.size, job.mtime_ns)])
        stats.problems += 1
        return
    info = result.info
    origin = (
        None if get_photo_by_path(library.db, job.path) else moved_from(library.db, info.sha256, set(gone.values()))
    )
    if origin is not None:
        relocate(library.db, origin, info, job.root_id)
        for path, photo_id in list(gone.items()):
            if photo_id == origin:
                del gone[path]
        stats.moved += 1
        return
    store_media(library.db, job.root_id, [info])
    stats.indexed += 1
    photo = get_photo_by_path(library.db, job.path)
    if photo is not None:
        stats.new_photo_ids.append(photo.id)
    if info.error:
        stats.problems += 1


def reconcile_moves(library: Library, since: str) -> int:
    """Rows indexed since ``since`` whose content matches a missing photo become that photo moved.

    An incremental index (catching up after a restart, or a periodic rescan of a root too
    big to watch) sees a move as a vanished file plus a new one. The older row — with
    what is attached to it, and whatever was put on the short-lived new row — is kept.
    """
    return merge_split_moves(library.db, since)
