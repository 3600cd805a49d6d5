"""Walking a root folder: which media files are there, and what could not be walked."""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from core.catalog.identity import is_inside, is_system_folder
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


#: A folder holding ``catalog.db`` beside one of these is a Shoebox library (its thumbnails
#: and trash are not photos of this library).
LIBRARY_MARKERS = frozenset({"thumbnails", "trash", "config.toml", "catalog.db-wal"})


def looks_like_library(names: set[str] | frozenset[str]) -> bool:
    """Do these entry names of one folder make it a Shoebox library's own directory?"""
    return "catalog.db" in names and bool(names & LIBRARY_MARKERS)


def walk_root(
    root: str,
    *,
    skip: frozenset[str] = frozenset(),
    cancel: threading.Event | None = None,
    visited: set[tuple[int, int]] | None = None,
    roots: frozenset[str] = frozenset(),
    within: str | None = None,
) -> Iterator[FolderListing]:
    """Yield every folder below ``root`` (root first, names sorted).

    Every file is reached by one path only; a file's identity is its device and inode:

    * Hidden entries (a leading dot), ``/proc``, ``/sys``, ``/dev``, Shoebox library
      directories, and the folders in ``skip`` (the library itself, other roots nested
      inside this one) are passed over — ``skip`` by identity too, so another path to one
      of them (a symlink, a bind mount) is passed over as well.
    * Links to folders are never followed: one inside the root leads to a folder that is
      walked where it is; one leading out of the root (``within``, default the root's real
      path) is reported as a problem, and a loop is reported as a loop.
    * A folder or hard-linked file already in ``visited`` (device, inode — shared by
      the caller across roots) is not walked or listed twice (a bind mount, a second
      root on the same folder).
    * A link to a file is passed over when the file it leads to lies inside this root or
      one of ``roots`` (real paths): that file is the photo. A link to a file elsewhere
      is listed once, as the file it leads to.

    A folder that cannot be listed is yielded with ``readable=False`` so its catalogued
    photos are left alone.
    """
    visited = set() if visited is None else visited
    root_real = os.path.realpath(root)
    within = os.path.realpath(within) if within else root_real
    covered = frozenset({within, *roots})
    skip_ids = _identities(skip)
    if is_system_folder(root_real):
        yield FolderListing(root, problems=[(root, "a system folder (/proc, /sys, /dev): never indexed", None, None)])
        return
    try:
        st = os.stat(root)
    except OSError:
        pass
    else:
        key = (st.st_dev, st.st_ino)
        if key in visited:
            problem = (
                root,
                "this folder was already indexed by another path (a link or a mount): indexed once",
                None,
                None,
            )
            yield FolderListing(root, problems=[problem])
            return
        visited.add(key)
    stack = [(root, root_real)]
    while stack:
        if cancel is not None and cancel.is_set():
            return
        folder, real = stack.pop()
        listing = FolderListing(folder)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            listing.readable = False
            listing.problems.append((folder, _folder_reason(exc), None, None))
            yield listing
            continue
        if looks_like_library({e.name for e in entries}):
            listing.problems.append((folder, "another Shoebox library's own folder: never indexed", None, None))
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
                child_real = os.path.join(real, entry.name)
                problem, walk = _enter_folder(entry, folder, child_real, within, visited, skip_ids)
                if problem:
                    listing.problems.append((path, problem, None, None))
                elif walk:
                    subfolders.append((path, child_real))
                continue
            if not is_media_name(entry.name):
                continue
            found = _media_file(entry, covered, visited, listing)
            if found is not None:
                listing.files.append(found)
        yield listing
        stack.extend(reversed(subfolders))


def _identities(paths: frozenset[str]) -> set[tuple[int, int]]:
    found = set()
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        found.add((st.st_dev, st.st_ino))
    return found


def _enter_folder(
    entry: os.DirEntry[str],
    parent: str,
    real: str,
    within: str,
    visited: set[tuple[int, int]],
    skip_ids: set[tuple[int, int]],
) -> tuple[str | None, bool]:
    """Whether to walk a subfolder: ``(problem to report, walk it)``."""
    try:
        st = entry.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop: this link points back to itself", False
        return f"cannot open this folder: {exc.strerror or exc}", False
    key = (st.st_dev, st.st_ino)
    if key in skip_ids:
        return None, False  # another root (or the library) by another path: walked as itself
    if entry.is_symlink():
        return _folder_link_problem(entry.path, parent, within), False
    if is_system_folder(real):
        return None, False
    if key in visited:
        return "this folder is reachable twice (a bind mount?) and is indexed only once", False
    visited.add(key)
    return None, True


def _folder_link_problem(path: str, parent: str, within: str) -> str | None:
    """Why a link to a folder is not followed (None: its folder is walked where it is)."""
    target = os.path.realpath(path)
    if not is_inside(target, within) or is_system_folder(target):
        return f"a link to a folder outside this root ({target}): not followed; add that folder as a root to index it"
    if is_inside(os.path.realpath(parent), target):
        return "symlink loop: this link leads back to a folder above it, so it is not followed"
    return None


def _media_file(
    entry: os.DirEntry[str], covered: frozenset[str], visited: set[tuple[int, int]], listing: FolderListing
) -> FileEntry | None:
    """The file entry to list for a media name, or None (not a file, or reached already)."""
    path = entry.path
    try:
        info = entry.stat()
    except FileNotFoundError:
        if entry.is_symlink():
            listing.problems.append((path, "broken link: the file it points to does not exist", None, None))
        return None  # vanished between listing and stat
    except OSError as exc:
        listing.problems.append((path, f"cannot read the file's details: {exc.strerror or exc}", None, None))
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    link = entry.is_symlink()
    if link:
        target = os.path.realpath(path)
        if any(is_inside(target, folder) for folder in covered) or is_system_folder(target):
            return None  # the file it leads to is catalogued where it is
    if link or info.st_nlink > 1:
        key = (info.st_dev, info.st_ino)
        if key in visited:
            return None  # another name of a file already listed
        visited.add(key)
    return FileEntry(path, info.st_size, info.st_mtime_ns)


def admitted_file(path: str, root: str, roots: frozenset[str] = frozenset()) -> bool:
    """Would :func:`walk_root` of ``root`` list the file at ``path``? (The watcher's rule.)

    Its folder must be reached from the root without a link, outside system and library
    folders; a link to a file inside one of ``roots`` (real paths) is that file, not a photo.
    """
    folder = os.path.dirname(path)
    root_real = os.path.realpath(root)
    real_folder = os.path.realpath(folder)
    if real_folder != os.path.normpath(os.path.join(root_real, os.path.relpath(folder, root))):
        return False
    if is_system_folder(real_folder):
        return False
    if os.path.islink(path):
        target = os.path.realpath(path)
        if any(is_inside(target, r) for r in {root_real, *roots}) or is_system_folder(target):
            return False
    return True


def _folder_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied: cannot list this folder (its catalogued photos are kept)"
    if isinstance(exc, FileNotFoundError):
        return "folder not found (is the drive mounted?); its catalogued photos are kept"
    return f"cannot list this folder: {exc.strerror or exc}"
