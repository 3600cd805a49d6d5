"""Letting core's indexing start worker processes from inside the app.

multiprocessing's resource tracker hands ``sys.stderr``'s file descriptor to the process
it starts. While Textual runs, ``sys.stderr`` is its print capture, whose ``fileno()`` is
-1, so starting a process pool from the app fails with "bad value(s) in fds_to_keep".
Starting the tracker once with the real stderr avoids that; later pools reuse it.
"""

from __future__ import annotations

import os
import sys
from contextlib import redirect_stderr


def start_process_helpers() -> None:
    """Make sure multiprocessing's resource tracker runs (call before indexing)."""
    from multiprocessing import resource_tracker

    real = sys.__stderr__
    if real is None or _bad_fileno(real):
        with open(os.devnull, "w") as devnull, redirect_stderr(devnull):
            resource_tracker.ensure_running()
        return
    with redirect_stderr(real):
        resource_tracker.ensure_running()


def _bad_fileno(stream: object) -> bool:
    try:
        return stream.fileno() < 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return True
