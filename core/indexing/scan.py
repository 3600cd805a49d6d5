"""Walking a root folder: which media files are there, and what could not be walked."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from core.media.formats import is_media_name


@dataclass(slots=True)
class FileEntry:
    """A media file found on disk, with the stat fields that tell whether it changed."""

    path: str
    size: int
    mtime_ns: int


@dataclass(slots=True)
class FolderListing:
    """One folder's media files and the entries in it that could not be read."""

    folder: str
    files: list[FileEntry] = field(default_factory=list)
    problems: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)
    readable: bool = True


def walk_root(
    root: str,
    *,
    skip: frozenset[str] = frozenset(),
    cancel: threading.Event | None = None,
) -> Iterator[FolderListing]:
    """Yield every folder below ``root`` (root first, names sorted).

    Hidden entries (a leading dot) and the folders in ``skip`` (the library itself, other
    roots nested inside this one) are passed over. Symlinked folders are followed once:
    a link back to a folder already walked (a loop, or a second way to the same folder)
    is reported as a problem instead of being walked again. A folder that cannot be
    listed is yielded with ``readable=False`` so its catalogued photos are left alone.
    """
    visited: set[tuple[int, int]] = set()
    try:
        st = os.stat(root)
        visited.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    stack = [root]
    while stack:
        if cancel is not None and cancel.is_set():
            return
        folder = stack.pop()
        listing = FolderListing(folder)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            listing.readable = False
            listing.problems.append((folder, _folder_reason(exc), None, None))
            yield listing
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = entry.path
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                if path in skip:
                    continue
                problem = _enter_folder(entry, visited)
                if problem:
                    listing.problems.append((path, problem, None, None))
                else:
                    subfolders.append(path)
                continue
            if not is_media_name(entry.name):
                continue
            try:
                info = entry.stat()
            except FileNotFoundError:
                if entry.is_symlink():
                    listing.problems.append((path, "broken link: the file it points to does not exist", None, None))
                continue  # vanished between listing and stat
            except OSError as exc:
                listing.problems.append((path, f"cannot read the file's details: {exc.strerror or exc}", None, None))
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            listing.files.append(FileEntry(path, info.st_size, info.st_mtime_ns))
        yield listing
        stack.extend(reversed(subfolders))


def _enter_folder(entry: os.DirEntry[str], visited: set[tuple[int, int]]) -> str | None:
    """Remember a folder about to be walked; returns a reason when it must not be walked."""
    try:
        st = entry.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: this link points back to itself"
        return f"cannot open this folder: {exc.strerror or exc}"
    key = (st.st_dev, st.st_ino)
    if key in visited:
        if entry.is_symlink():
            return "symlink loop: this link leads to a folder that is already indexed, so it is skipped"
        return "this folder is reachable twice (a bind mount?) and is indexed only once"
    visited.add(key)
    return None


def _folder_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: cannot list this folder (its catalogued photos are kept)"
    if isinstance(exc, FileNotFoundError):
        return "folder not found (is the drive mounted?); its catalogued photos are kept"
    return f"cannot list this folder: {exc.strerror or exc}"
