"""Telling a live trash move from one a killed process left: a lock on ``<library>/trash.lock``.

A process holds the lock shared from before it writes a ``moving``/``restoring`` row until
the move is settled (:func:`moves_under_way`); the kernel drops it when the process dies.
Recovery takes it exclusively without waiting (:func:`settling`): when it cannot, another
process is moving files right now and its rows are its own, not left behind. Two
processes opening the library at once do not both settle the same rows either: one
settles while the other goes on without waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from core.library import Library

LOCK_NAME = "trash.lock"


@contextmanager
def moves_under_way(library: Library) -> Iterator[None]:
    """Held around planning and carrying out trash moves or restores (waits for a recovery)."""
    with _locked(library, exclusive=False, wait=True):
        yield


@contextmanager
def settling(library: Library) -> Iterator[bool]:
    """Yields True while this process alone may settle journal rows, False when another
    process has moves under way (or is settling) now."""
    with _locked(library, exclusive=True, wait=False) as held:
        yield held


@contextmanager
def _locked(library: Library, *, exclusive: bool, wait: bool) -> Iterator[bool]:
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one process at a time is the user's to keep
        yield True
        return
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
    with open(library.directory / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle.fileno(), mode)
        except BlockingIOError:
            held = False
        else:
            held = True
        try:
            yield held
        finally:
            if held:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
