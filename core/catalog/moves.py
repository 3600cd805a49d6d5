"""Photos that moved: finding the rows a move left behind and pointing them at the new path.

A move keeps its photo row (its id, and with it everything attached to it and its backup state);
these are the catalog queries the watcher (core/watch) needs to tell a move from a new
photo. Each write is one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable

from core.annotations.combined import carry_over_move
from core.catalog.db import Database
from core.catalog.paths import folder_of, path_to_db
from core.catalog.photos import now_iso
from core.media.records import MediaInfo


def _exists(stored: str, raw: bytes | None) -> bool:
    return os.path.lexists(os.fsdecode(raw) if raw is not None else stored)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def vanished_under(db: Database, path: str) -> dict[str, int]:
    """Present photos at (or below, for a folder) ``path`` that are no longer on disk: path → id."""
    text = path_to_db(path)[0]
    rows = db.query(
        "SELECT id, path, path_bytes FROM photos WHERE status = 'present' AND (path = ? OR path LIKE ? ESCAPE '\\')",
        (text, _like_prefix(text.rstrip(os.sep) + os.sep)),
    )
    return {stored: photo_id for photo_id, stored, raw in rows if not _exists(stored, raw)}


def moved_from(db: Database, sha256: str, just_vanished: set[int]) -> int | None:
    """The row a file with this content moved from: one that just vanished, else one already missing."""
    rows = db.query(
        "SELECT id, path, path_bytes, status FROM photos WHERE sha256 = ? AND status IN ('present', 'missing') ORDER BY id",
        (sha256,),
    )
    for photo_id, _path, _raw, _status in rows:
        if photo_id in just_vanished:
            return photo_id
    for photo_id, path, raw, status in rows:
        if status == "missing" and not _exists(path, raw):
            return photo_id
    return None


def relocate(db: Database, photo_id: int, info: MediaInfo, root_id: int | None) -> None:
    """Point an existing photo row at its new path (same content), keeping its id."""
    text, raw = path_to_db(info.path)
    with db.transaction() as conn:
        conn.execute(
            "UPDATE photos SET path = ?, path_bytes = ?, folder = ?, root_id = ?, size = ?, mtime_ns = ?, "
            "status = 'present', indexed_at = ?, dev = ?, ino = ?, real_path = ? WHERE id = ?",
            (
                text,
                raw,
                folder_of(info.path),
                root_id,
                info.size,
                info.mtime_ns,
                now_iso(),
                info.dev,
                info.ino,
                path_to_db(info.real_path)[0] if info.real_path else None,
                photo_id,
            ),
        )
        conn.execute("DELETE FROM problems WHERE path = ?", (text,))


def merge_split_moves(
    db: Database, since: str, carry: Callable[[sqlite3.Connection, int, int], None] | None = None
) -> int:
    """Rows indexed since ``since`` whose content matches a missing photo become that photo moved.

    An incremental index sees a move as a vanished file plus a new one. The older row is
    pointed at the new path and the new row is dropped, after ``carry(conn, new_id, old_id)``
    (default: every registered annotator's, :func:`core.annotations.combined.carry_over_move`)
    has given the older row whatever was attached to the new one. Returns how many merged.
    """
    carry = carry or carry_over_move
    pairs = db.query(
        "SELECT old.id, new.id FROM photos new JOIN photos old ON old.sha256 = new.sha256 AND old.id < new.id "
        "WHERE new.status = 'present' AND new.indexed_at >= ? AND old.status = 'missing' ORDER BY new.id, old.id",
        (since,),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    merged = 0
    with db.transaction() as conn:
        for old_id, new_id in pairs:
            if old_id in used_old or new_id in used_new:
                continue
            used_old.add(old_id)
            used_new.add(new_id)
            row = conn.execute("SELECT path, path_bytes, folder, root_id, size, mtime_ns, indexed_at, dev, ino, "
                               "real_path FROM photos WHERE id = ?", (new_id,)).fetchone()  # fmt: skip
            carry(conn, new_id, old_id)
            conn.execute("DELETE FROM photos WHERE id = ?", (new_id,))
            conn.execute(
                "UPDATE photos SET path = ?, path_bytes = ?, folder = ?, root_id = ?, size = ?, mtime_ns = ?, "
                "indexed_at = ?, dev = ?, ino = ?, real_path = ?, status = 'present' WHERE id = ?",
                (*tuple(row), old_id),
            )
            merged += 1
    return merged
