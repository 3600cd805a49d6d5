"""Source roots: the folders a library indexes in place."""

from __future__ import annotations

import os

from core.catalog.db import Database
from core.catalog.paths import path_to_db
from core.catalog.photos import now_iso
from core.catalog.records import Root


def normalise_root(path: str) -> str:
    """An absolute path without trailing separators or ``..`` parts (symlinks kept as named)."""
    return os.path.normpath(os.path.abspath(os.path.expanduser(path)))


def add_root(db: Database, path: str, *, reference: bool = False) -> Root:
    """Register a folder (idempotent); returns its root record."""
    text, _raw = path_to_db(normalise_root(path))
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO roots (path, added_at, reference) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING",
            (text, now_iso(), int(reference)),
        )
        if reference:
            conn.execute("UPDATE roots SET reference = 1 WHERE path = ?", (text,))
    root = get_root(db, text)
    assert root is not None
    return root


def get_root(db: Database, path: str) -> Root | None:
    row = db.conn.execute("SELECT * FROM roots WHERE path = ?", (path_to_db(normalise_root(path))[0],)).fetchone()
    return Root.from_row(row) if row else None


def list_roots(db: Database) -> list[Root]:
    return [Root.from_row(row) for row in db.query("SELECT * FROM roots ORDER BY path")]


def mark_indexed(db: Database, root_id: int) -> None:
    with db.transaction() as conn:
        conn.execute("UPDATE roots SET last_indexed_at = ? WHERE id = ?", (now_iso(), root_id))
