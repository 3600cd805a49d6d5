"""The trash's rows in the catalog, written before and after each file move.

A move is three steps: (1) a row in state ``moving`` (or ``restoring``) is committed,
(2) the file moves (:mod:`core.trash.files`), (3) the row and the photo are updated in
one transaction. A process killed between the steps leaves a row that says what was
under way; :func:`recover`, run once when the library opens, looks at the disk and finishes
the move or rolls it back, so every file is in place or in the trash with its row — never
neither.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from core.annotations.combined import apply_labels, labels_of
from core.catalog.paths import folder_of, path_to_db
from core.catalog.photos import now_iso
from core.library import Library
from core.trash.files import PART_SUFFIX, fsync_dir, sha256_of
from core.trash.lock import settling
from core.trash.records import TrashEntry

#: Row states a move passes through; a row left in one after its process died is settled.
_UNSETTLED = ("moving", "restoring")

#: Key of the photo's annotation labels (albums, tags, marks…) in a trash row's photo snapshot;
#: not a column, so a restore onto a new row gives them back through the annotators.
LABELS_KEY = "annotation_labels"

_COLUMNS = (
    "id, photo_id, resolution_id, original_path, original_path_bytes, trash_name, sha256, size, state, "
    "restore_path, trashed_at"
)


def entry_from_row(row: sqlite3.Row | tuple) -> TrashEntry:
    return TrashEntry(*row)


def get_entry(library: Library, entry_id: int) -> TrashEntry | None:
    row = library.db.conn.execute(f"SELECT {_COLUMNS} FROM trash WHERE id = ?", (entry_id,)).fetchone()
    return entry_from_row(row) if row else None


def list_entries(library: Library, *, states: tuple[str, ...] = ("trashed",)) -> list[TrashEntry]:
    marks = ", ".join("?" for _ in states)
    rows = library.db.query(f"SELECT {_COLUMNS} FROM trash WHERE state IN ({marks}) ORDER BY id", states)
    return [entry_from_row(row) for row in rows]


def trash_file(library: Library, entry: TrashEntry) -> Path:
    return library.trash_dir / entry.trash_name


# --- step 1: the row written before a move --------------------------------------------------


def plan_trash(
    conn: sqlite3.Connection, photo_id: int, resolution_id: int | None = None, *, keeper_ids: list[int] | None = None
) -> int:
    """Record that a photo is about to move to the trash (inside the caller's transaction).

    ``keeper_ids``: the photos kept in its place (a duplicate resolution); a purge refuses
    while none of them is still there.
    """
    row = conn.execute("SELECT * FROM photos WHERE id = ?", (photo_id,)).fetchone()
    if row is None:
        raise LookupError(f"no photo with id {photo_id}")
    snapshot = {key: _jsonable(row[key]) for key in row.keys()}
    snapshot[LABELS_KEY] = labels_of(conn, [photo_id]).get(photo_id, {})
    path = os.fsdecode(row["path_bytes"]) if row["path_bytes"] is not None else row["path"]
    cursor = conn.execute(
        "INSERT INTO trash (photo_id, resolution_id, original_path, original_path_bytes, trash_name, sha256, size, "
        "state, trashed_at, photo_row) VALUES (?, ?, ?, ?, '', ?, ?, 'moving', ?, ?)",
        (photo_id, resolution_id, row["path"], row["path_bytes"], row["sha256"], row["size"], now_iso(),
         json.dumps(snapshot)),
    )  # fmt: skip
    entry_id = int(cursor.lastrowid)
    conn.execute(
        "UPDATE trash SET trash_name = ?, keeper_ids = ? WHERE id = ?",
        (trash_name_for(entry_id, path), json.dumps(keeper_ids) if keeper_ids else None, entry_id),
    )
    return entry_id


def keepers_of(library: Library, entry: TrashEntry) -> list[int]:
    """The photos kept in place of a copy trashed by a duplicate resolution (empty otherwise).

    Rows written before keepers were recorded take them from the resolution's decision:
    its photos that this resolution did not trash.
    """
    row = library.db.conn.execute("SELECT keeper_ids FROM trash WHERE id = ?", (entry.id,)).fetchone()
    if row is not None and row[0]:
        return [int(i) for i in json.loads(row[0])]
    if entry.resolution_id is None:
        return []
    rows = library.db.query(
        "SELECT photo_id FROM duplicate_decision_photos WHERE decision_id = "
        "(SELECT decision_id FROM resolutions WHERE id = ?) "
        "AND photo_id NOT IN (SELECT photo_id FROM trash WHERE resolution_id = ? AND photo_id IS NOT NULL)",
        (entry.resolution_id, entry.resolution_id),
    )
    return [int(r[0]) for r in rows]


def trash_name_for(entry_id: int, original: str) -> str:
    """``<id>/<original file name>`` (a plain name when the original is not valid UTF-8)."""
    name = os.path.basename(original)
    if path_to_db(name)[1] is not None:
        name = "file" + os.path.splitext(path_to_db(name)[0])[1]
    return f"{entry_id}/{name}"


def plan_restore(library: Library, entry: TrashEntry, destination: str) -> None:
    with library.db.transaction() as conn:
        conn.execute("UPDATE trash SET state = 'restoring', restore_path = ? WHERE id = ?", (destination, entry.id))


# --- step 3: the rows written after a move --------------------------------------------------


def mark_trashed(conn: sqlite3.Connection, entry: TrashEntry) -> None:
    conn.execute("UPDATE trash SET state = 'trashed' WHERE id = ?", (entry.id,))
    if entry.photo_id is not None:
        conn.execute("UPDATE photos SET status = 'trashed' WHERE id = ? AND status != 'trashed'", (entry.photo_id,))


def forget_entry(conn: sqlite3.Connection, entry: TrashEntry) -> None:
    conn.execute("DELETE FROM trash WHERE id = ?", (entry.id,))


def relink(library: Library, conn: sqlite3.Connection, entry: TrashEntry, destination: str) -> int:
    """Point the catalog at the restored file; returns its photo id (inside the caller's transaction).

    The photo's own row is reused when it still describes this file (status trashed);
    when its path was taken by another file meanwhile, a new row is made from the
    snapshot kept in the trash row, and given the annotations snapshotted with it.
    """
    text, raw = path_to_db(destination)
    row = None
    if entry.photo_id is not None:
        row = conn.execute("SELECT status, sha256 FROM photos WHERE id = ?", (entry.photo_id,)).fetchone()
    if row is not None and row["status"] == "trashed" and row["sha256"] == entry.sha256:
        conn.execute(
            "UPDATE photos SET path = ?, path_bytes = ?, folder = ?, status = 'present' WHERE id = ?",
            (text, raw, folder_of(destination), entry.photo_id),
        )
        photo_id = int(entry.photo_id)  # type: ignore[arg-type]
    else:
        photo_id = _insert_from_snapshot(library, conn, entry, text, raw, folder_of(destination))
    _record_identity(conn, photo_id, destination)
    conn.execute("DELETE FROM trash WHERE id = ?", (entry.id,))
    return photo_id


def _record_identity(conn: sqlite3.Connection, photo_id: int, path: str) -> None:
    """The restored file's device, inode and real path (a copy back, or a new name, changes them)."""
    try:
        st = os.stat(path)
        real = path_to_db(os.path.realpath(path))[0]
    except OSError:
        conn.execute("UPDATE photos SET dev = NULL, ino = NULL, real_path = NULL WHERE id = ?", (photo_id,))
        return
    conn.execute(
        "UPDATE photos SET dev = ?, ino = ?, real_path = ? WHERE id = ?", (st.st_dev, st.st_ino, real, photo_id)
    )


def _insert_from_snapshot(library: Library, conn: sqlite3.Connection, entry: TrashEntry, text: str, raw: bytes | None,
                          folder: str) -> int:  # fmt: skip
    snapshot_text = conn.execute("SELECT photo_row FROM trash WHERE id = ?", (entry.id,)).fetchone()[0]
    stored = json.loads(snapshot_text)
    labels = stored.pop(LABELS_KEY, None) or {}  # absent from rows written before annotators
    snapshot = {key: _from_json(value) for key, value in stored.items()}
    columns = [r[1] for r in conn.execute("PRAGMA table_info(photos)").fetchall() if r[1] != "id"]
    snapshot.update(path=text, path_bytes=raw, folder=folder, status="present")
    present = [c for c in columns if c in snapshot]
    cursor = conn.execute(
        f"INSERT INTO photos ({', '.join(present)}) VALUES ({', '.join('?' for _ in present)})",
        tuple(snapshot[c] for c in present),
    )
    photo_id = int(cursor.lastrowid)
    apply_labels(library.db, photo_id, labels)
    return photo_id


def _jsonable(value: object) -> object:
    return {"hex": value.hex()} if isinstance(value, bytes) else value


def _from_json(value: object) -> object:
    return bytes.fromhex(value["hex"]) if isinstance(value, dict) else value


# --- recovery -------------------------------------------------------------------------------


def recover(library: Library) -> int:
    """Finish or roll back moves a killed process left half done; returns how many.

    Runs when the library opens (:meth:`core.library.Library.open`). Rows of a process
    moving files right now are left to it (:mod:`core.trash.lock`); the rows are read
    again once the lock is held, so two processes never settle one row twice.
    """
    if not list_entries(library, states=_UNSETTLED):
        return 0  # the usual case: a read, no lock file touched
    with settling(library) as alone:
        if not alone:
            return 0
        pending = list_entries(library, states=_UNSETTLED)
        for entry in pending:
            if entry.state == "moving":
                settle_trashing(library, entry)
            else:
                settle_restoring(library, entry)
    return len(pending)


def settle_trashing(library: Library, entry: TrashEntry) -> None:
    """A killed trash move: the file at the trash name is always complete (copies are
    verified under a ``.part`` name first), so it decides; nothing in the trash is removed."""
    original, in_trash = entry.original_fs_path, trash_file(library, entry)
    _remove_parts(in_trash)
    at_original, at_trash = os.path.lexists(original), in_trash.exists()
    if at_original and at_trash and _same_bytes(original, in_trash, entry.sha256):
        try:  # finished but for removing the source (a link or a proven copy)
            os.unlink(original)
            fsync_dir(os.path.dirname(original))
            at_original = False
        except OSError:  # the source cannot be removed: drop our second copy instead
            in_trash.unlink()
            at_trash = False
    # (both there with different bytes: another file took the original's name; keep both)
    with library.db.transaction() as conn:
        if at_trash:
            mark_trashed(conn, entry)
        else:
            forget_entry(conn, entry)
            _release_from_resolution(conn, entry)
            if not at_original and entry.photo_id is not None:  # gone meanwhile, not by us
                conn.execute(
                    "UPDATE photos SET status = 'missing' WHERE id = ? AND status = 'present'", (entry.photo_id,)
                )
    if not at_trash:
        _remove_empty_dir(in_trash.parent)


def _release_from_resolution(conn: sqlite3.Connection, entry: TrashEntry) -> None:
    """A copy a resolve could not move stays in place, so its group must show again: take
    it out of the resolution's "resolved" decision."""
    if entry.resolution_id is None or entry.photo_id is None:
        return
    conn.execute(
        "DELETE FROM duplicate_decision_photos WHERE photo_id = ? AND decision_id = "
        "(SELECT decision_id FROM resolutions WHERE id = ?)",
        (entry.photo_id, entry.resolution_id),
    )


def settle_restoring(library: Library, entry: TrashEntry) -> None:
    in_trash, destination = trash_file(library, entry), entry.restore_path or entry.original_fs_path
    _remove_parts(Path(destination))
    at_trash, at_destination = in_trash.exists(), os.path.lexists(destination)
    if at_trash and at_destination:
        if not _same_bytes(destination, in_trash, entry.sha256):
            at_destination = False  # someone else's file: never ours to touch
        else:
            try:
                in_trash.unlink()
                at_trash = False
            except OSError:  # the trash copy cannot go: take back the restored one
                os.unlink(destination)
                at_destination = False
    with library.db.transaction() as conn:
        if at_trash or not at_destination:
            conn.execute("UPDATE trash SET state = 'trashed', restore_path = NULL WHERE id = ?", (entry.id,))
        else:
            relink(library, conn, entry, destination)
    if not at_trash:
        _remove_empty_dir(in_trash.parent)


def _same_bytes(first: str | Path, second: str | Path, sha256: str) -> bool:
    try:
        if os.path.samefile(first, second):
            return True
        return sha256_of(second) == sha256 and sha256_of(first) == sha256
    except OSError:
        return False


def _remove_parts(path: Path) -> None:
    part = path.with_name(f".{path.name}{PART_SUFFIX}")
    try:
        part.unlink(missing_ok=True)
    except OSError:  # its folder is not a folder, or not ours to touch: nothing to clean
        pass


def _remove_empty_dir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:
        pass
