"""Showing indexing progress: a live bar on a terminal, one summary line otherwise.

Rich is imported only when a terminal is attached, so scripts and cron jobs (and the
core's import hygiene) never load it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.cli.output import human_size
from core.indexing.progress import IndexProgress, IndexStats
from core.indexing.registry import phase_title


@contextmanager
def index_progress(enabled: bool = True) -> Iterator[Callable[[IndexProgress], None] | None]:
    """Yield a progress callback for :func:`index_library` (None when nothing should show)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[mb]}"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Scanning", total=None, mb="", rate="")

        def update(p: IndexProgress) -> None:
            if p.phase == "scanning":
                bar.update(task, description=f"Scanning ({p.files_seen} files)")
            elif p.phase != "indexing":  # a post-store stage: photos, not bytes
                bar.update(task, description=phase_title(p.phase), total=p.files_total or None,
                           completed=p.files_done, mb="", rate="")  # fmt: skip
            else:
                bar.update(
                    task,
                    description="Indexing",
                    total=p.files_total or None,
                    completed=p.files_done,
                    mb=f"{human_size(p.bytes_done)}/{human_size(p.bytes_total)}",
                    rate=f"{p.rate:.1f} files/s",
                )

        yield update


def summary_line(stats: IndexStats) -> str:
    """One line saying what an indexing run did."""
    read = stats.files_seen - stats.unchanged
    rate = read / stats.elapsed if stats.elapsed > 0 and read > 0 else 0.0
    text = (
        f"{stats.files_seen} files seen: indexed {stats.indexed} ({human_size(stats.bytes_read)}, {rate:.1f} files/s), "
        f"{stats.unchanged} unchanged, {stats.problems} problems, {stats.missing} missing, "
        f"in {stats.elapsed:.1f} s"
    )
    for line in stats.stage_summaries:
        text += f"; {line}"
    if stats.thumbnails_failed:
        text += (f"; {stats.thumbnails_failed} thumbnails not written ({stats.thumbnail_problem}): "
                 "the app draws them from the originals until there is room")  # fmt: skip
    return text + (" — cancelled, run again to finish" if stats.cancelled else "")


def stages_summary_line(stats: IndexStats) -> str:
    """One line saying what a run of stages alone (``index --only``) did."""
    said = "; ".join(stats.stage_summaries) or "nothing to do"
    looked_at = sum(result.photos for result in stats.stages)
    photos = f"{looked_at} photo{'s' if looked_at != 1 else ''}"
    text = f"{', '.join(r.stage for r in stats.stages)}: {said}; {photos} looked at in {stats.elapsed:.1f} s"
    return text + (" — cancelled, run again to finish" if stats.cancelled else "")
