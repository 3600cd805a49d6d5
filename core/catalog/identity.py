"""Where a path really leads: its file identity, and its place inside its filesystem.

A file's identity is its device and inode, not the path it was reached by: a symlink, a
bind mount or a root added twice give one file several paths. Real paths catch links;
bind mounts need the mount table (``/proc/self/mountinfo``): a bind mount of a folder is
the same filesystem and the same path inside it, whatever the mount point is called.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MOUNTINFO = "/proc/self/mountinfo"
#: Folders of the operating system that are never indexed, whatever path leads there.
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
_ESCAPE = re.compile(r"\\([0-7]{3})")


@dataclass(frozen=True, slots=True)
class Place:
    """A folder as its filesystem knows it: the device (``major:minor``) and the path inside it."""

    device: str
    inner: str


def is_inside(path: str, folder: str) -> bool:
    """True when ``path`` is ``folder`` or below it (both absolute, normalised)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_system_folder(real_path: str) -> bool:
    """``/proc``, ``/sys``, ``/dev`` or anything below them (never indexed)."""
    return any(is_inside(real_path, folder) for folder in SYSTEM_FOLDERS)


def file_identity(path: str) -> tuple[int, int] | None:
    """Device and inode of what ``path`` leads to (links followed), or None when unreachable."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), text)


def read_mounts(mountinfo: str = MOUNTINFO) -> list[tuple[str, str, str]]:
    """``(mount point, device, root inside the filesystem)`` per mount; empty where unknown."""
    mounts = []
    try:
        with open(mountinfo, encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                fields = line.split()
                if len(fields) >= 5:
                    mounts.append((_unescape(fields[4]), fields[2], _unescape(fields[3])))
    except OSError:
        return []
    return mounts


def place_of(path: str, mounts: list[tuple[str, str, str]] | None = None) -> Place | None:
    """Where ``path`` (links resolved) lies inside its filesystem, or None when unknown."""
    mounts = read_mounts() if mounts is None else mounts
    real = os.path.realpath(path)
    best = None
    for point, device, root in mounts:  # the last (most recent) of the longest mount points wins
        if is_inside(real, point) and (best is None or len(point) >= len(best[0])):
            best = (point, device, root)
    if best is None:
        return None
    point, device, root = best
    inner = os.path.normpath(os.path.join(root, os.path.relpath(real, point)))
    return Place(device, inner)


def lies_within(path: str, folder: str, mounts: list[tuple[str, str, str]] | None = None) -> bool:
    """Is ``path`` the folder ``folder`` or below it, whatever path leads to either?

    True when the real path of one is inside the other's, or when both are on one
    filesystem and one's place in it is inside the other's (a bind mount).
    """
    if is_inside(os.path.realpath(path), os.path.realpath(folder)):
        return True
    mounts = read_mounts() if mounts is None else mounts
    inner, outer = place_of(path, mounts), place_of(folder, mounts)
    return (
        inner is not None and outer is not None and inner.device == outer.device and is_inside(inner.inner, outer.inner)
    )
