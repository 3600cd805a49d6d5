"""Stopping a long command cleanly: SIGTERM sets a cancel event the core loop checks."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cancel_on_sigterm() -> Iterator[threading.Event]:
    """An event that SIGTERM sets while the block runs; the previous handler is back after it."""
    cancel = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: cancel.set())
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGTERM, previous)
