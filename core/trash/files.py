"""Moving one file without ever losing it: no-clobber rename, or copy + verify + remove.

Same filesystem: a hard link then an unlink (or, where links are unsupported, a rename
to a name checked free) — the bytes never move and never exist nowhere. Across
filesystems: the copy is written beside its target, synced, read back and compared by
sha256 with the source before it takes its name and the source is removed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from core.trash.records import TrashError

CHUNK = 1 << 20
PART_SUFFIX = ".part"


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def move_file(source: str | Path, target: str | Path, *, sha256: str | None = None, copy: bool = False) -> None:
    """Move ``source`` to ``target``, which must not exist (never overwrites).

    ``copy=True`` forces the cross-filesystem path (copy, verify, remove). When
    ``sha256`` is given, a copied file must have it, else nothing is removed.
    """
    source, target = os.fspath(source), os.fspath(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not copy:
        try:
            _link_or_rename(source, target)
            return
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
    copy_verified(source, target, sha256)
    try:
        os.unlink(source)
    except OSError:
        os.unlink(target)  # a verified copy of a source that stays: no second copy left behind
        raise
    fsync_dir(os.path.dirname(source))


def _link_or_rename(source: str, target: str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            raise
        # No hard links here (some network or FAT filesystems): rename to a free name.
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already exists", target) from exc
        os.rename(source, target)
    else:
        try:
            os.unlink(source)
        except OSError:
            os.unlink(target)  # the same inode: the file stays whole at its source
            raise
    fsync_dir(os.path.dirname(target))
    fsync_dir(os.path.dirname(source))


def copy_verified(source: str, target: str, sha256: str | None) -> None:
    """Copy ``source`` to ``target`` (not existing) and prove the copy has the same bytes."""
    part = part_path(target)
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as reader, open(part, "xb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        shutil.copystat(source, part)
        source_sha = digest.hexdigest()
        if sha256 is not None and source_sha != sha256:
            raise TrashError(f"{source} changed since it was indexed (its sha256 differs); index it again first")
        if sha256_of(part) != source_sha:
            raise TrashError(f"the copy of {source} does not read back identical; nothing was removed")
        _link_or_rename(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise


def part_path(target: str) -> str:
    head, name = os.path.split(target)
    return os.path.join(head, f".{name}{PART_SUFFIX}")


def fsync_dir(path: str) -> None:
    """Make a rename or unlink in ``path`` durable (best effort where unsupported)."""
    try:
        fd = os.open(path or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def free_name(path: str, taken: Callable[[str], bool] | None = None) -> str:
    """``path`` if nothing is there, else ``name (restored).ext``, ``name (restored 2).ext``…"""
    stem, ext = os.path.splitext(path)
    candidate, n = path, 1
    while os.path.lexists(candidate) or (taken is not None and taken(candidate)):
        candidate = f"{stem} (restored){ext}" if n == 1 else f"{stem} (restored {n}){ext}"
        n += 1
    return candidate
