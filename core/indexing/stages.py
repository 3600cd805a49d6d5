"""Post-store stages of indexing: work done on photos once they are in the catalog.

After the new and changed files are stored, each enabled stage of the registry
(:mod:`core.indexing.registry`) runs over the photos it has not done yet: reading their
XMP sidecars, later finding faces or places. A stage knows by itself which photos it has
done (its own rows or checkpoint), so a run killed after the store, or stopped during a
stage, leaves that work pending and the next run, or ``shoebox index --only NAME``, does
it. A stage reports progress as ``(done, total)`` and says what it did in a
:class:`StageResult` with its own figures and its own summary line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from core.library import Library

#: Called with ``(done, total)`` as a stage goes through its photos.
StageProgress = Callable[[int, int], None]


@dataclass(slots=True)
class StageResult:
    """What one stage did in one run: its figures (e.g. ``{"read": 3}``) and one line for people."""

    stage: str
    photos: int = 0  # photos the stage went through
    figures: dict[str, int] = field(default_factory=dict)
    summary: str = ""  # e.g. "read 3 XMP sidecars (ratings, keywords, captions)"; "" when nothing happened
    cancelled: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "photos": self.photos,
            **self.figures,
            "summary": self.summary,
            "cancelled": self.cancelled,
        }


class IndexStage:
    """A post-store stage; subclasses set the class attributes and implement
    :meth:`pending` and :meth:`run` (and :meth:`enabled` when it can be switched off)."""

    name: ClassVar[str]  # what ``index --only`` takes and the progress phase, e.g. "sidecars"
    title: ClassVar[str]  # what a progress bar shows, e.g. "Reading XMP sidecars"
    help: ClassVar[str]  # one line for ``index --help``
    #: Whether ``watch`` runs the stage on the photos it indexes (the sidecars stage: no, watch
    #: reads every changed sidecar itself).
    in_watch: ClassVar[bool] = True

    def enabled(self, library: Library) -> bool:
        """Whether indexing runs this stage for this library (e.g. faces only when switched on)."""
        return True

    def prepare(self, library: Library) -> None:
        """Called before a run stores anything, so photos stored next count as not done."""

    def pending(self, library: Library) -> list[int]:
        """The photos this stage has not done yet."""
        raise NotImplementedError

    def run(
        self,
        library: Library,
        photo_ids: Sequence[int] | None,
        progress: StageProgress,
        cancel: threading.Event | None,
    ) -> StageResult:
        """Do the stage for ``photo_ids`` (None: every pending photo); stop early when ``cancel`` is set."""
        raise NotImplementedError


def cancelled(cancel: threading.Event | None) -> bool:
    """Whether ``cancel`` is set (None never is)."""
    return cancel is not None and cancel.is_set()
