"""Letting core's indexing start worker processes from inside the app.

While Textual runs, ``sys.stderr`` is its print capture (``fileno() == -1``), which
multiprocessing's resource tracker cannot hand to its child; core starts the tracker with
the real stderr (see :func:`core.indexing.workers.ensure_resource_tracker`).
"""

from __future__ import annotations


def start_process_helpers() -> None:
    """Make sure multiprocessing's resource tracker runs (call before indexing)."""
    from core.indexing.workers import ensure_resource_tracker

    ensure_resource_tracker()
