"""How many folders inotify can watch, and which roots fit (Linux; elsewhere: no limit known)."""

from __future__ import annotations

import os
from pathlib import Path

MAX_WATCHES_FILE = Path("/proc/sys/fs/inotify/max_user_watches")
#: Leave room for the other programs of the same user (editors, sync clients…).
SHARE_OF_LIMIT = 0.5


def max_user_watches() -> int | None:
    try:
        return int(MAX_WATCHES_FILE.read_text().strip())
    except (OSError, ValueError):
        return None


def count_folders(root: str, stop_after: int) -> int:
    """Folders below ``root`` (itself included), counting no further than ``stop_after``."""
    count = 0
    for _dirpath, dirnames, _files in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        count += 1
        if count > stop_after:
            break
    return count


def watch_budget() -> int | None:
    """Folders Shoebox allows itself to watch: a share of the user's inotify limit (None: unknown)."""
    limit = max_user_watches()
    return None if limit is None else int(limit * SHARE_OF_LIMIT)


def split_by_budget(roots: list[str], budget: int | None) -> tuple[list[str], list[str]]:
    """(roots to watch with inotify, roots to rescan periodically), filling ``budget`` folders in order."""
    if budget is None:
        return list(roots), []
    watched, rescanned = [], []
    left = budget
    for root in roots:
        needed = count_folders(root, left)
        if needed <= left:
            watched.append(root)
            left -= needed
        else:
            rescanned.append(root)
    return watched, rescanned


def is_watch_limit_error(exc: BaseException) -> bool:
    """The OS refused more watches (watchfiles says "OS file watch limit reached"; ENOSPC elsewhere)."""
    text = str(exc).lower()
    return "watch limit" in text or getattr(exc, "errno", None) == 28 or "no space left on device" in text
