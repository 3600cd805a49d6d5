"""Applying a settled batch of file-system changes to the catalog.

New and changed files are read like the indexer reads them. A new file whose content
(sha256) matches a photo that just vanished, or one already marked missing, is that
photo moved: its row is updated in place, so its id — and with it albums, tags, marks
and backup state — is kept instead of a new photo being imported.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.paths import folder_of, path_to_db
from core.catalog.photos import forget_gone, get_photo_by_path, now_iso, store_media, store_problems
from core.catalog.roots import list_roots
from core.indexing.scan import walk_root
from core.indexing.workers import Job, JobResult, read_in_pool, read_in_process
from core.library import Library
from core.media.formats import is_media_name
from core.media.records import MediaInfo

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


def _root_of(path: str, roots: list[tuple[str, int]]) -> int | None:
    """The id of the deepest root holding ``path``."""
    best: tuple[int, int | None] = (-1, None)
    for root, root_id in roots:
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            if len(root) > best[0]:
                best = (len(root), root_id)
    return best[1]


def expand(paths: Iterable[str], library_dir: str, *, pending: frozenset[str] = frozenset(),
           settle: float = 0.0) -> tuple[list[str], list[str]]:  # fmt: skip
    """Media files among ``paths``, with folders (moved or copied in) walked: (ready, unsettled).

    A file found inside a folder that is still being waited on (``pending``) or that was
    modified less than ``settle`` seconds ago is "unsettled": it is being copied right now.
    """
    files: list[str] = []
    unsettled: list[str] = []
    recent = time.time() - settle
    for path in paths:
        if path == library_dir or path.startswith(library_dir + os.sep):
            continue
        if os.path.isdir(path):
            for listing in walk_root(path, skip=frozenset({library_dir})):
                for entry in listing.files:
                    young = settle and entry.mtime_ns / 1e9 > recent
                    (unsettled if entry.path in pending or young else files).append(entry.path)
        elif os.path.isfile(path) and is_media_name(os.path.basename(path)) and not os.path.basename(path).startswith("."):
            files.append(path)
    return files, [p for p in unsettled if p not in pending]


def vanished_rows(library: Library, paths: Iterable[str]) -> dict[str, int]:
    """Present photos at (or below, for folders) ``paths`` that are no longer on disk: path → id."""
    found: dict[str, int] = {}
    for path in paths:
        text = path_to_db(path)[0]
        rows = library.db.query(
            "SELECT id, path, path_bytes FROM photos WHERE status = 'present' AND (path = ? OR path LIKE ? ESCAPE '\\')",
            (text, _like_prefix(text.rstrip(os.sep) + os.sep)),
        )
        for photo_id, stored, raw in rows:
            if not os.path.lexists(os.fsdecode(raw) if raw is not None else stored):
                found[stored] = photo_id
    return found


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


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
    files, stats.unsettled = expand(changed, str(library.directory), pending=pending, settle=settle)
    for path in files:
        root_id = _root_of(path, roots)
        if root_id is None:
            continue
        try:
            st = os.stat(path)
        except OSError:
            continue
        known = get_photo_by_path(library.db, path)
        if known is not None and known.status == "present" and (known.size, known.mtime_ns) == (st.st_size, st.st_mtime_ns):
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
    return stats


def _store(library: Library, result: JobResult, gone: dict[str, int], stats: ChangeStats) -> None:
    job = result.job
    if result.info is None:
        store_problems(library.db, job.root_id, [(job.path, result.reason or "unreadable", job.size, job.mtime_ns)])
        stats.problems += 1
        return
    info = result.info
    moved_from = None if get_photo_by_path(library.db, job.path) else _moved_row(library, info.sha256, gone)
    if moved_from is not None:
        relocate(library, moved_from, info, job.root_id)
        for path, photo_id in list(gone.items()):
            if photo_id == moved_from:
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


def _moved_row(library: Library, sha256: str, gone: dict[str, int]) -> int | None:
    """A photo with this content that just vanished, or was already missing (moved while not watched)."""
    ids = set(gone.values())
    rows = library.db.query(
        "SELECT id, path, path_bytes, status FROM photos WHERE sha256 = ? AND status IN ('present', 'missing') ORDER BY id",
        (sha256,),
    )
    for photo_id, _path, _raw, _status in rows:
        if photo_id in ids:
            return photo_id
    for photo_id, path, raw, status in rows:
        if status == "missing" and not os.path.lexists(os.fsdecode(raw) if raw is not None else path):
            return photo_id
    return None


def relocate(library: Library, photo_id: int, info: MediaInfo, root_id: int | None) -> None:
    """Point an existing photo row at its new path (same content), keeping its id."""
    text, raw = path_to_db(info.path)
    with library.db.transaction() as conn:
        conn.execute(
            "UPDATE photos SET path = ?, path_bytes = ?, folder = ?, root_id = ?, size = ?, mtime_ns = ?, "
            "status = 'present', indexed_at = ? WHERE id = ?",
            (text, raw, folder_of(info.path), root_id, info.size, info.mtime_ns, now_iso(), photo_id),
        )
        conn.execute("DELETE FROM problems WHERE path = ?", (text,))


def reconcile_moves(library: Library, since: str) -> int:
    """Rows indexed since ``since`` whose content matches a missing photo become that photo moved.

    An incremental index (catching up after a restart, or a periodic rescan of a root too
    big to watch) sees a move as a vanished file plus a new one. The older row — with its
    albums, tags and marks — is pointed at the new path and the new row is dropped.
    """
    pairs = library.db.query(
        "SELECT old.id, new.id FROM photos new JOIN photos old ON old.sha256 = new.sha256 AND old.id < new.id "
        "WHERE new.status = 'present' AND new.indexed_at >= ? AND old.status = 'missing' ORDER BY new.id, old.id",
        (since,),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    merged = 0
    with library.db.transaction() as conn:
        for old_id, new_id in pairs:
            if old_id in used_old or new_id in used_new:
                continue
            used_old.add(old_id)
            used_new.add(new_id)
            row = conn.execute("SELECT path, path_bytes, folder, root_id, size, mtime_ns, indexed_at FROM photos "
                               "WHERE id = ?", (new_id,)).fetchone()  # fmt: skip
            _carry_user_data(conn, new_id, old_id)
            conn.execute("DELETE FROM photos WHERE id = ?", (new_id,))
            conn.execute(
                "UPDATE photos SET path = ?, path_bytes = ?, folder = ?, root_id = ?, size = ?, mtime_ns = ?, "
                "indexed_at = ?, status = 'present' WHERE id = ?",
                (*tuple(row), old_id),
            )
            merged += 1
    return merged


def _carry_user_data(conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
    """Give ``to_id`` whatever the user already gave ``from_id`` (albums, tags, rating, caption).

    The new row of a move may have lived for one rescan interval; anything put on it then
    must survive its merge into the older row.
    """
    conn.execute("INSERT OR IGNORE INTO album_photos (album_id, photo_id, added_at) "
                 "SELECT album_id, ?, added_at FROM album_photos WHERE photo_id = ?", (to_id, from_id))  # fmt: skip
    conn.execute("INSERT OR IGNORE INTO photo_tags (photo_id, tag_id) SELECT ?, tag_id FROM photo_tags WHERE photo_id = ?",
                 (to_id, from_id))  # fmt: skip
    conn.execute(
        "UPDATE photos SET rating = COALESCE(rating, (SELECT rating FROM photos WHERE id = ?)), "
        "caption = COALESCE(caption, (SELECT caption FROM photos WHERE id = ?)), "
        "favourite = MAX(favourite, (SELECT favourite FROM photos WHERE id = ?)) WHERE id = ?",
        (from_id, from_id, from_id, to_id),
    )
