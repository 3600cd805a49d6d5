"""Rate-limited progress reporting shared by long jobs (indexing, backup).

A job keeps its running figures in a small dataclass (``state``) and calls
:meth:`ProgressReporter.report` as often as it likes; the callback gets a copy at most a
few times a second, plus every forced report (phase changes, the end).
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

State = TypeVar("State")


@dataclass(slots=True)
class JobProgress:
    """What every long job's snapshot says: its phase, files and bytes done of how many, the file now."""

    phase: str
    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_done: int = 0
    elapsed: float = 0.0
    current: str | None = None


@dataclass(slots=True)
class ItemProgress:
    """A job counted in items (photos, files): what it does now, items done of the total,
    seconds so far. Jobs extend it with their own figures."""

    phase: str
    total: int = 0
    done: int = 0
    elapsed: float = 0.0
    current: str | None = None


class ProgressReporter(Generic[State]):
    """Holds ``state`` (which must have an ``elapsed`` field) and rate-limits callbacks."""

    def __init__(self, state: State, callback: Callable[[State], None] | None, interval: float = 0.1) -> None:
        self.state = state
        self.callback = callback
        self.interval = interval
        self.started = time.monotonic()
        self.lock = threading.Lock()  # for jobs that update ``state`` from several threads
        self._last = 0.0

    def report(self, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            with self.lock:
                self.state.elapsed = now - self.started  # type: ignore[attr-defined]
                snapshot = copy.copy(self.state)
            self.callback(snapshot)
