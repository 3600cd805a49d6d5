"""Source roots: the folders a library indexes in place."""

from __future__ import annotations

import os
from dataclasses import dataclass

from core.catalog.db import Database
from core.catalog.identity import file_identity, is_system_folder, lies_within, read_mounts
from core.catalog.paths import path_to_db
from core.catalog.photos import now_iso
from core.catalog.records import Root


class RootError(ValueError):
    """A folder cannot be added as a root; the message says why (one line)."""


@dataclass(frozen=True, slots=True)
class Overlap:
    """An existing root that a new one shares folders with (``inside``: the new one is below it)."""

    root: Root
    inside: bool

    def note(self, path: str) -> str:
        if self.inside:
            return f"{path} is inside the root {self.root.path}: its photos are indexed once, under {path}"
        return f"the root {self.root.path} is inside {path}: its photos stay indexed once, under {self.root.path}"


def normalise_root(path: str) -> str:
    """An absolute path without trailing separators or ``..`` parts (symlinks kept as named)."""
    return os.path.normpath(os.path.abspath(os.path.expanduser(path)))


def check_root(db: Database, path: str) -> list[Overlap]:
    """Refuse a folder that is a system folder or already a root by another path.

    Two roots on one folder — the same folder by its real path and through a symlink, a
    bind mount — would list every photo twice, and the duplicate finder would then offer
    to trash one path of a single file. A root inside another (or around it) is merged:
    each photo is indexed once, under the deeper root; the overlaps are returned so the
    caller can say so. Raises :class:`RootError`.
    """
    path = normalise_root(path)
    real = os.path.realpath(path)
    if is_system_folder(real):
        raise RootError(f"{path}: a system folder ({real}) is never indexed")
    identity = file_identity(path)
    mounts = read_mounts()
    overlaps = []
    for root in list_roots(db):
        if root.path == path_to_db(path)[0]:
            continue  # adding a root again is a no-op
        same = identity is not None and file_identity(root.path) == identity
        inside, around = lies_within(path, root.path, mounts), lies_within(root.path, path, mounts)
        if same or (inside and around):
            raise RootError(
                f"{path} is the same folder as the root {root.path} (through a link or a mount): "
                "it is already in the library, so it was not added again"
            )
        if inside or around:
            overlaps.append(Overlap(root, inside))
    return overlaps


def add_root(db: Database, path: str, *, reference: bool = False) -> Root:
    """Register a folder (idempotent); returns its root record.

    Raises :class:`RootError` for a folder that is already a root by another path, or a
    system folder (:func:`check_root`).
    """
    check_root(db, path)
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
