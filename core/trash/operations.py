"""Trash, restore and purge: what the CLI's ``trash`` command and duplicate resolution call.

Files go to ``<library>/trash/<entry id>/<name>`` (with their own XMP sidecar, see
:mod:`core.trash.sidecars`); the catalog keeps their photo rows
(status ``trashed``), so what is attached to them (albums, tags, marks, faces) and the
original path survive until a purge, the only place Shoebox ever deletes an original. A
restore that needs a new row gets the annotations snapshotted at trash time back
(:mod:`core.annotations`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.catalog.paths import path_to_db
from core.catalog.photos import get_photo
from core.config import load_config
from core.library import Library
from core.trash import journal
from core.trash.files import free_name, fsync_dir, move_file
from core.trash.lock import moves_under_way
from core.trash.records import PurgeResult, Restored, TrashEntry, TrashError
from core.trash.sidecars import purge_sidecars, restore_sidecar, trash_sidecar

DEFAULT_RETENTION_DAYS = 30


@dataclass(slots=True)
class TrashOutcome:
    """What a trash request did: entries now in the trash, photos left in place and why."""

    trashed: list[TrashEntry] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def trash_photos(
    library: Library, photo_ids: Iterable[int], *, resolution_id: int | None = None, copy: bool = False
) -> TrashOutcome:
    """Move photos' files into the trash (see the module docstring)."""
    with moves_under_way(library):
        with library.db.transaction() as conn:
            entry_ids = [journal.plan_trash(conn, pid, resolution_id) for pid in photo_ids]
        return carry_out(library, entry_ids, copy=copy)


def carry_out(
    library: Library,
    entry_ids: Iterable[int],
    *,
    copy: bool = False,
    check: Callable[[TrashEntry], None] | None = None,
) -> TrashOutcome:
    """Move the files of planned (``moving``) entries; a failure leaves that file in place.

    ``check`` runs right before each move and refuses it by raising :class:`TrashError`
    (duplicate resolution: are the keepers still there, other files, unchanged?).
    Call it inside :func:`core.trash.lock.moves_under_way`, taken before the entries were planned.
    """
    outcome = TrashOutcome()
    for entry_id in entry_ids:
        entry = journal.get_entry(library, entry_id)
        if entry is None or entry.state != "moving":
            continue
        try:
            _check_unchanged(library, entry)
            if check is not None:
                check(entry)
            move_file(entry.original_fs_path, journal.trash_file(library, entry), sha256=entry.sha256, copy=copy)
        except (OSError, TrashError) as exc:
            journal.settle_trashing(library, entry)  # puts the rows in line with the disk
            outcome.failed.append((entry.photo_id or 0, _reason(exc)))
            continue
        with library.db.transaction() as conn:
            journal.mark_trashed(conn, entry)
        trash_sidecar(entry.original_fs_path, journal.trash_file(library, entry))
        outcome.trashed.append(journal.get_entry(library, entry_id))  # type: ignore[arg-type]
    return outcome


def _check_unchanged(library: Library, entry: TrashEntry) -> None:
    """Refuse to trash a file that is not what was indexed (and reviewed)."""
    row = library.db.conn.execute("SELECT size, mtime_ns FROM photos WHERE id = ?", (entry.photo_id,)).fetchone()
    stat = os.stat(entry.original_fs_path, follow_symlinks=False)
    if row is not None and (stat.st_size != row[0] or stat.st_mtime_ns != row[1]):
        raise TrashError(f"{entry.original_path} changed since it was indexed; index it again first")


def list_trash(library: Library) -> list[TrashEntry]:
    """Everything in the trash, oldest first (half-done moves were settled when the library opened)."""
    return journal.list_entries(library)


def restore(library: Library, entry_id: int, *, copy: bool = False) -> Restored:
    """Put a trashed file back, byte-identical, at its path or a free name beside it."""
    with moves_under_way(library):
        return _restore(library, entry_id, copy=copy)


def _restore(library: Library, entry_id: int, *, copy: bool) -> Restored:
    entry = journal.get_entry(library, entry_id)
    if entry is None or entry.state != "trashed":
        raise TrashError(f"nothing in the trash with id {entry_id}")
    source = journal.trash_file(library, entry)
    if not source.exists():
        raise TrashError(f"trash item {entry_id} has no file at {source}")
    original = entry.original_fs_path
    destination = free_name(original, taken=lambda p: _catalogued_elsewhere(library, p, entry.photo_id))
    journal.plan_restore(library, entry, destination)
    try:
        move_file(source, destination, sha256=entry.sha256, copy=copy)
    except (OSError, TrashError) as exc:
        journal.settle_restoring(library, journal.get_entry(library, entry_id))  # type: ignore[arg-type]
        raise TrashError(f"cannot restore {entry.original_path}: {_reason(exc)}") from exc
    with library.db.transaction() as conn:
        photo_id = journal.relink(library, conn, entry, destination)
    restore_sidecar(source, original, destination)
    _remove_dir(source.parent)
    return Restored(entry.id, photo_id, path_to_db(destination)[0], destination != original)


def restore_all(
    library: Library, entry_ids: Iterable[int] | None = None
) -> tuple[list[Restored], list[tuple[int, str]]]:
    """Restore every trashed file (or the given entries); returns what came back and what failed."""
    ids = [e.id for e in list_trash(library)] if entry_ids is None else list(entry_ids)
    restored, failed = [], []
    for entry_id in ids:
        try:
            restored.append(restore(library, entry_id))
        except TrashError as exc:
            failed.append((entry_id, str(exc)))
    return restored, failed


def purge(library: Library, older_than: timedelta | None = None, *, now: datetime | None = None) -> PurgeResult:
    """Delete for good the trashed files older than ``older_than`` (default: the retention
    in config ``[trash] retention_days``, 30 days). Their photo rows go too."""
    cutoff = (now or datetime.now()) - (older_than if older_than is not None else retention(library))
    result = PurgeResult(failed=[])
    for entry in list_trash(library):
        if datetime.fromisoformat(entry.trashed_at) > cutoff:
            continue
        path = journal.trash_file(library, entry)
        kept = _keeper_gone(library, entry)
        if kept is not None:
            result.failed.append((entry.id, kept))  # type: ignore[union-attr]
            continue
        try:
            path.unlink(missing_ok=True)
            purge_sidecars(path)
        except OSError as exc:
            result.failed.append((entry.id, _reason(exc)))  # type: ignore[union-attr]
            continue
        fsync_dir(str(path.parent))
        with library.db.transaction() as conn:
            conn.execute("DELETE FROM trash WHERE id = ?", (entry.id,))
            if entry.photo_id is not None:
                conn.execute(
                    "DELETE FROM photos WHERE id = ? AND status = 'trashed' AND sha256 = ?",
                    (entry.photo_id, entry.sha256),
                )
        _remove_dir(path.parent)
        result.purged += 1
        result.freed += entry.size
    return result


def _keeper_gone(library: Library, entry: TrashEntry) -> str | None:
    """Why a resolved duplicate must not be purged (every photo kept in its place is gone), or None.

    A kept photo counts while it is present in the catalog, on disk with its catalogued
    size, and another file than the trashed copy.
    """
    keeper_ids = journal.keepers_of(library, entry)
    if not keeper_ids:
        return None  # not from a duplicate resolution
    trashed = journal.trash_file(library, entry)
    try:
        trashed_st = os.stat(trashed)
        trashed_id = (trashed_st.st_dev, trashed_st.st_ino)
    except OSError:
        trashed_id = None
    names = []
    for keeper_id in keeper_ids:
        keeper = get_photo(library.db, keeper_id)
        if keeper is None:
            continue
        names.append(keeper.path)
        try:
            st = os.stat(keeper.fs_path)
        except OSError:
            continue
        if keeper.status == "present" and st.st_size == keeper.size and (st.st_dev, st.st_ino) != trashed_id:
            return None
    kept = names[0] if names else "the photo kept in its place"
    return (f"not purged: {entry.original_path} was trashed as a copy of {kept}, which is gone or changed; "
            f"restore it with `shoebox trash restore {entry.id}`")  # fmt: skip


def retention(library: Library) -> timedelta:
    """How long trashed files are kept by default (config ``[trash] retention_days``)."""
    days = load_config(library.directory).get("trash", {}).get("retention_days", DEFAULT_RETENTION_DAYS)
    try:
        return timedelta(days=float(days))
    except (TypeError, ValueError):
        raise TrashError(f"config [trash] retention_days must be a number of days, not {days!r}") from None


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks", "": "days"}


def parse_duration(text: str) -> timedelta:
    """``30d``, ``12h``, ``2w``, ``90m``, ``45s`` (a bare number is days)."""
    match = _DURATION.match(text.lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 30d, 12h or 2w")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _catalogued_elsewhere(library: Library, path: str, photo_id: int | None) -> bool:
    row = library.db.conn.execute("SELECT id FROM photos WHERE path = ?", (path_to_db(path)[0],)).fetchone()
    return row is not None and row[0] != photo_id


def _remove_dir(path: os.PathLike | str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc)


__all__ = ["TrashOutcome", "carry_out", "list_trash", "parse_duration", "purge", "restore", "restore_all",
           "retention", "trash_photos"]  # fmt: skip
