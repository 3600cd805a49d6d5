"""What the cloud commands share: turning cloud errors into messages, progress on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.cli.output import error, human_size


@contextmanager
def cloud_errors() -> Iterator[None]:
    """Print a CloudError/ConfigError/QueryError as one line on stderr (the command then returns 1)."""
    from core.catalog.query import QueryError
    from core.cloud.errors import CloudError
    from core.config import ConfigError

    try:
        yield
    except (CloudError, ConfigError, QueryError) as exc:
        error(str(exc))


def describe_rate(size: int, seconds: float) -> str:
    return f"{human_size(int(size / seconds))}/s" if seconds > 0 else "-"


@contextmanager
def counter_progress(label: str, enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    """A ``(done, total)`` progress bar on a terminal; None otherwise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:  # fmt: skip
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def backup_progress(enabled: bool = True) -> Iterator[Callable[[object], None] | None]:
    """A byte-based bar with the upload rate for :func:`core.cloud.backup.run_backup`."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:  # fmt: skip
        task = bar.add_task("Planning", total=None)

        def update(p: object) -> None:
            state = p  # BackupProgress
            label = {"uploading": f"Uploading {state.files_done}/{state.files_total}", "manifest": "Manifest"}
            bar.update(task, description=label.get(state.phase, state.phase.title()),
                       total=state.bytes_total or None, completed=state.bytes_done)  # fmt: skip

        yield update
