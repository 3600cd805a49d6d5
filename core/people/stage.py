"""The ``faces`` index stage: find the faces of newly indexed photos when ``[people] auto`` is on.

A photo is done once it has a ``face_scans`` row under the current model (the scan writes it
with the photo's faces in one transaction), so a run killed before or during this stage leaves
the rest pending for the next ``index`` or ``shoebox index --only faces``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.indexing.stages import IndexStage, StageProgress, StageResult
from core.library import Library
from core.people.settings import auto_scan

if TYPE_CHECKING:
    from core.people.scan import ScanProgress


class FacesStage(IndexStage):
    """Faces of new photos, grouped into persons as they are found."""

    name = "faces"
    title = "Finding faces"
    help = "find the faces in new photos and group them into persons (when `shoebox people auto on`)"

    def enabled(self, library: Library) -> bool:
        return auto_scan(library)

    def pending(self, library: Library) -> list[int]:
        from core.people.model import default_model_id  # the scan's modules load when it runs, not at start
        from core.people.scan_store import pending_photos

        return [photo.photo_id for photo in pending_photos(library.db, default_model_id())]

    def run(self, library: Library, photo_ids: Sequence[int] | None, progress: StageProgress,
            cancel: threading.Event | None) -> StageResult:  # fmt: skip
        from core.people.scan import scan_photos

        def report(state: ScanProgress) -> None:
            if state.phase == "scanning":
                progress(state.done, state.total)

        stats = scan_photos(library, photo_ids, progress=report, cancel=cancel)
        result = StageResult(self.name, photos=stats.scanned, cancelled=stats.cancelled)
        result.figures = {"faces": stats.faces, "skipped": len(stats.skipped), "persons_formed": stats.persons_formed}
        if stats.faces:
            result.summary = f"found {stats.faces} face{'s' if stats.faces != 1 else ''}"
            if stats.persons_formed:
                result.summary += f" ({stats.persons_formed} new person{'s' if stats.persons_formed != 1 else ''})"
        return result
