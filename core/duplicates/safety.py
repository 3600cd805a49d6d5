"""Two paths of one file are never duplicates, and a copy is trashed only while it is safe.

A file's identity is its device and inode (and its real path), not the path it was
reached by: the same folder added twice, once through a symlink or a bind mount, or a
link beside its target, gives one file two catalogued paths. Trashing "one of them"
would trash the only bytes.

* :func:`one_file_sets` — which of some photos are one file (looked up live, the
  catalog's record when the file cannot be reached); the finder pairs only different files.
* :class:`TrashGuard` — what resolve asks: which copies must be left alone (a reference
  root's real folder, whatever path led there; a second path to a keeper), and, right
  before each copy moves, whether its keepers still exist, are other files, still hold
  the bytes the decision was made on, and the copy is unchanged since review.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.identity import lies_within, read_mounts
from core.catalog.paths import path_to_db
from core.catalog.photos import RecordedIdentity, recorded_identities
from core.catalog.records import Photo
from core.catalog.roots import list_roots
from core.library import Library
from core.trash.files import sha256_of
from core.trash.records import TrashEntry, TrashError

FileKey = tuple[object, ...]


def file_keys(record: RecordedIdentity) -> set[FileKey]:
    """What names this photo's file: its device+inode (live when reachable, else as recorded)
    and the real path recorded when it was indexed."""
    keys: set[FileKey] = set()
    try:
        st = os.stat(record.fs_path)
    except (OSError, ValueError):
        if record.dev is not None and record.ino is not None:
            keys.add(("inode", record.dev, record.ino))
    else:
        keys.add(("inode", st.st_dev, st.st_ino))
    if record.real_path:
        keys.add(("real", record.real_path))
    return keys


def one_file_sets(library: Library, photo_ids: Iterable[int]) -> dict[int, int]:
    """Photo id → the id standing for its file (itself, unless it is another path of one).

    The photo standing for a file is the one catalogued by its real path (as recorded when
    it was indexed: not through a link), else the lowest id.
    """
    records = recorded_identities(library.db, photo_ids)
    owner: dict[FileKey, int] = {}
    parent: dict[int, int] = {r.photo_id: r.photo_id for r in records}

    def find(item: int) -> int:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    direct: dict[int, bool] = {}
    for record in records:
        keys = file_keys(record)
        direct[record.photo_id] = record.real_path == path_to_db(record.fs_path)[0]
        for key in keys:
            if key in owner:
                a, b = find(owner[key]), find(record.photo_id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = record.photo_id
    members: dict[int, list[int]] = {}
    for record in records:
        members.setdefault(find(record.photo_id), []).append(record.photo_id)
    standing: dict[int, int] = {}
    for ids in members.values():
        best = min(ids, key=lambda i: (not direct.get(i, False), i))
        standing.update((i, best) for i in ids)
    return standing


@dataclass
class TrashGuard:
    """The safety rules of one resolve: which copies to leave alone, and the pre-move check."""

    library: Library
    keepers: list[Photo]
    _mounts: list[tuple[str, str, str]] = field(default_factory=read_mounts)
    _hashes: dict[tuple[int, ...], str] = field(default_factory=dict)

    def skip_reason(self, photo: Photo) -> str | None:
        """Why this copy is never trashed (kept on purpose), or None."""
        references = [r for r in list_roots(self.library.db) if r.reference]
        if any(r.id == photo.root_id for r in references):
            return "in a reference folder: never trashed"
        in_reference = self._reference_holding(photo.fs_path, references)
        if in_reference is not None:
            return f"in the reference folder {in_reference} (reached by another path): never trashed"
        copy = _identity(photo.fs_path)
        for keeper in self.keepers:
            if copy is not None and _identity(keeper.fs_path) == copy:
                return f"the same file as the kept {keeper.path} (another path to it): not trashed"
        return None

    def before_move(self, entry: TrashEntry) -> None:
        """Right before ``entry``'s file moves: raise :class:`TrashError` unless it is safe."""
        path = entry.original_fs_path
        try:
            copy_stat = os.stat(path)
        except OSError as exc:
            raise TrashError(f"{entry.original_path} cannot be read: {exc.strerror or exc}") from exc
        references = [r for r in list_roots(self.library.db) if r.reference]
        in_reference = self._reference_holding(path, references)
        if in_reference is not None:
            raise TrashError(f"{entry.original_path} is in the reference folder {in_reference}: never trashed")
        copy_real = os.path.realpath(path)
        for keeper in self.keepers:
            self._check_keeper(keeper, entry, (copy_stat.st_dev, copy_stat.st_ino), copy_real)
        if self._sha256(path, copy_stat) != entry.sha256:
            raise TrashError(
                f"{entry.original_path} changed since it was reviewed (its bytes differ); index it again first"
            )

    def _check_keeper(self, keeper: Photo, entry: TrashEntry, copy_id: tuple[int, int], copy_real: str) -> None:
        try:
            st = os.stat(keeper.fs_path)
        except OSError:
            raise TrashError(f"not trashed: the photo kept in its place, {keeper.path}, is gone") from None
        if (st.st_dev, st.st_ino) == copy_id or os.path.realpath(keeper.fs_path) == copy_real:
            raise TrashError(
                f"not trashed: {entry.original_path} and the kept {keeper.path} are one file (a link or another path to it)"
            )
        if not stat.S_ISREG(st.st_mode):
            raise TrashError(f"not trashed: the kept {keeper.path} is no longer a file")
        if self._sha256(keeper.fs_path, st) != keeper.sha256:
            raise TrashError(f"not trashed: the kept {keeper.path} changed since it was reviewed; index it again first")

    def _sha256(self, path: str, st: os.stat_result) -> str:
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key not in self._hashes:
            self._hashes[key] = sha256_of(path)
        return self._hashes[key]

    def _reference_holding(self, path: str, references: list) -> str | None:
        for root in references:
            if lies_within(path, root.path, self._mounts):
                return root.path
        return None


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
