"""Keeping XMP sidecars in step after a change made in the app (called from thread workers)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App

from core.library import Library
from core.xmp import failures, sync_after_change


def keep_sidecars_in_step(app: App, library: Library, photo_ids: Iterable[int]) -> None:
    """Write the sidecars ``shoebox xmp auto`` asks for; say which could not be written."""
    problems = failures(sync_after_change(library, photo_ids))
    if problems:
        more = f"\n(and {len(problems) - 3} more)" if len(problems) > 3 else ""
        # notify() only posts a message, which is safe from a worker thread.
        app.notify("\n".join(problems[:3]) + more, title="Sidecar not updated", severity="warning")
