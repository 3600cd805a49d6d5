"""Rolling snapshots of the catalog: ``LIBRARY/snapshots/catalog-YYYYmmddTHHMMSSZ.db``.

The catalog holds what no file holds (albums, tags, ratings, duplicate decisions), so a
copy is taken with SQLite's online backup API when a write happens and the newest copy is
more than a day old, and before a repair or a restore; the newest :data:`KEEP` are kept.
Each copy is checked (``quick_check``) before it counts, so a damaged catalog never pushes
the good snapshots out. Copies of a catalog replaced by a restore or a repair go to
``snapshots/kept/`` and are never pruned.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.catalog.health import check

KEEP = 7
MAX_AGE_SECONDS = 24 * 3600
_NAME = re.compile(r"^catalog-(\d{8}T\d{6}Z)\.db$")


class SnapshotError(Exception):
    """A snapshot cannot be taken or restored; the message says why."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One snapshot file; ``id`` is its UTC time, e.g. ``20261201T220000Z``."""

    id: str
    path: Path
    size: int

    @property
    def taken_at(self) -> datetime:
        return datetime.strptime(self.id, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "path": str(self.path), "size": self.size,
                "taken_at": self.taken_at.isoformat(timespec="seconds")}  # fmt: skip


def snapshots_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "snapshots"


def list_snapshots(db_path: Path) -> list[Snapshot]:
    """The snapshots of the catalog at ``db_path``, newest first."""
    try:
        entries = list(os.scandir(snapshots_dir(db_path)))
    except FileNotFoundError:
        return []
    found = []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            found.append(Snapshot(match.group(1), Path(entry.path), entry.stat().st_size))
    return sorted(found, key=lambda s: s.id, reverse=True)


def newest_age(db_path: Path, now: float | None = None) -> float | None:
    """Seconds since the newest snapshot (None when there is none): one directory listing."""
    snapshots = list_snapshots(db_path)
    if not snapshots:
        return None
    return (now or time.time()) - snapshots[0].taken_at.timestamp()


def due(db_path: Path) -> bool:
    """True when the newest snapshot is more than a day old (or there is none)."""
    age = newest_age(db_path)
    return age is None or age >= MAX_AGE_SECONDS


def take_snapshot(conn: sqlite3.Connection, db_path: Path, *, keep: int = KEEP) -> Snapshot:
    """Copy the catalog (through ``conn``) into a new snapshot, check it, prune the oldest.

    Raises :class:`SnapshotError` when the copy fails its check (the catalog is damaged):
    the bad copy is deleted and no snapshot is pruned.
    """
    directory = snapshots_dir(db_path)
    directory.mkdir(parents=True, exist_ok=True)
    snapshot_id = _free_id(directory)
    final = directory / f"catalog-{snapshot_id}.db"
    partial = directory / f".catalog-{snapshot_id}.{os.getpid()}.db.part"
    partial.unlink(missing_ok=True)
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as exc:
        dest.close()
        partial.unlink(missing_ok=True)
        raise SnapshotError(f"the catalog could not be copied: {exc}") from exc
    dest.close()
    result = check(partial)
    if not result.ok:
        partial.unlink(missing_ok=True)
        raise SnapshotError("the catalog is damaged: " + "; ".join(result.problems[:3]))
    _fsync(partial)
    os.replace(partial, final)
    prune(db_path, keep=keep)
    return Snapshot(snapshot_id, final, final.stat().st_size)


def _free_id(directory: Path) -> str:
    """Now in UTC as an id; a second later when a snapshot of this second exists."""
    moment = time.time()
    while True:
        snapshot_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(moment))
        if not (directory / f"catalog-{snapshot_id}.db").exists():
            return snapshot_id
        moment += 1


def prune(db_path: Path, *, keep: int = KEEP) -> list[Snapshot]:
    """Delete all but the newest ``keep`` snapshots; returns the ones deleted."""
    old = list_snapshots(db_path)[keep:]
    for snapshot in old:
        snapshot.path.unlink(missing_ok=True)
    return old


def find_snapshot(db_path: Path, snapshot_id: str) -> Snapshot:
    """The snapshot called ``snapshot_id`` (a unique prefix is enough)."""
    snapshots = list_snapshots(db_path)
    matches = [s for s in snapshots if s.id == snapshot_id] or [s for s in snapshots if s.id.startswith(snapshot_id)]
    if len(matches) != 1:
        listed = ", ".join(s.id for s in snapshots) or "none yet"
        what = "is ambiguous" if matches else "does not exist"
        raise SnapshotError(f"snapshot {snapshot_id!r} {what} (snapshots: {listed})")
    return matches[0]


def newest_good(db_path: Path) -> Snapshot | None:
    """The newest snapshot that passes ``quick_check``."""
    for snapshot in list_snapshots(db_path):
        if check(snapshot.path).ok:
            return snapshot
    return None


def keep_copy(db_path: Path, reason: str) -> Path | None:
    """Copy the catalog file as it is (even damaged) into ``snapshots/kept/``; None when there is none.

    A file copy, not the backup API: a damaged catalog may not open at all. Its WAL comes too.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    kept = snapshots_dir(db_path) / "kept"
    kept.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = kept / f"catalog-{reason}-{stamp}.db"
    number = 1
    while target.exists():
        number += 1
        target = kept / f"catalog-{reason}-{stamp}-{number}.db"
    shutil.copy2(db_path, target)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        shutil.copy2(wal, target.with_name(target.name + "-wal"))
    _fsync(target)
    return target


def replace_catalog(db_path: Path, new_file: Path) -> None:
    """Put ``new_file`` in place of the catalog (no connection may be open on it)."""
    db_path = Path(db_path)
    _fsync(new_file)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(new_file, db_path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
