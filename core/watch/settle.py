"""Waiting for files to stop changing: a half-copied file is not indexed."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass


@dataclass(slots=True)
class _Pending:
    last_event: float
    signature: tuple[int, int] | None  # (size, mtime_ns) when last looked at


def _signature(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Settler:
    """Holds changed paths until they have been quiet for ``seconds`` and their size and mtime hold still."""

    def __init__(self, seconds: float = 2.0) -> None:
        self.seconds = seconds
        self._pending: dict[str, _Pending] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def touch(self, path: str, now: float | None = None) -> None:
        """``path`` changed (again): restart its quiet period."""
        now = time.monotonic() if now is None else now
        self._pending[path] = _Pending(now, _signature(path))

    def pending(self) -> frozenset[str]:
        return frozenset(self._pending)

    def discard(self, path: str) -> None:
        self._pending.pop(path, None)

    def ready(self, now: float | None = None) -> list[str]:
        """Paths quiet for long enough whose size and mtime did not move since the last look."""
        now = time.monotonic() if now is None else now
        settled = []
        for path, entry in list(self._pending.items()):
            if now - entry.last_event < self.seconds:
                continue
            current = _signature(path)
            if current == entry.signature:
                settled.append(path)
                del self._pending[path]
            else:  # still being written without events reaching us (network shares): wait again
                self._pending[path] = _Pending(now, current)
        return settled
