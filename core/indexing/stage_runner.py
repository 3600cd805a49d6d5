"""Running the post-store stages, after a store or alone (``shoebox index --only NAME``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from core.indexing.progress import IndexProgress, IndexStats
from core.indexing.registry import STAGES
from core.indexing.stages import IndexStage, StageResult, cancelled
from core.library import Library
from core.progress import ProgressReporter


def enabled_stages(library: Library) -> list[IndexStage]:
    """The registered stages this library runs after each store, in order."""
    return [stage for stage in STAGES if stage.enabled(library)]


def run_stages(
    library: Library,
    stages: Sequence[IndexStage],
    reporter: ProgressReporter[IndexProgress],
    cancel: threading.Event | None,
) -> list[StageResult]:
    """Run each stage over the photos it has not done; progress phase = the stage's name."""
    results: list[StageResult] = []
    state = reporter.state
    for stage in stages:
        if cancelled(cancel):
            break
        state.phase, state.files_done, state.files_total, state.current = stage.name, 0, 0, None
        reporter.report(force=True)

        def step(done: int, total: int) -> None:
            state.files_done, state.files_total = done, total
            reporter.report()

        results.append(stage.run(library, None, step, cancel))
    return results


def run_for_photos(
    library: Library, photo_ids: Sequence[int], cancel: threading.Event | None = None
) -> list[StageResult]:
    """Run the enabled stages that ``watch`` runs over just-indexed photos (no progress)."""
    if not photo_ids:
        return []
    stages = [stage for stage in enabled_stages(library) if stage.in_watch]
    return [
        stage.run(library, photo_ids, lambda done, total: None, cancel) for stage in stages if not cancelled(cancel)
    ]


def run_only(
    library: Library,
    stage: IndexStage,
    *,
    progress: Callable[[IndexProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> IndexStats:
    """Run one stage alone over the photos it has not done (nothing is scanned or read)."""
    started = time.monotonic()
    reporter = ProgressReporter(IndexProgress(stage.name), progress)
    stage.prepare(library)
    stats = IndexStats(stages=run_stages(library, [stage], reporter, cancel))
    stats.cancelled = cancelled(cancel) or any(result.cancelled for result in stats.stages)
    stats.elapsed = time.monotonic() - started
    reporter.state.phase = "done"
    reporter.report(force=True)
    return stats
