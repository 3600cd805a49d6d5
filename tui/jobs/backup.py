"""Backup in a thread worker: the same :func:`core.cloud.backup.run_backup` as ``shoebox cloud backup``."""

from __future__ import annotations

from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from core.cloud import BackupProgress, BackupStats
from core.config import ConfigError
from core.library import Library
from tui.jobs.target import read_target
from tui.worker_errors import WorkerNotice

#: The worker group (cancelled by x and on quit).
GROUP = "backup"


@dataclass
class BackupStarted(Message):
    """The target and settings were read: the backup is planning its uploads."""


@dataclass
class BackupProgressed(Message):
    """A progress snapshot from the backup worker (newer ones replace queued ones)."""

    progress: BackupProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, BackupProgressed)


@dataclass
class BackupFinished(Message):
    """The backup ended, done or stopped (``stats`` say which and how far)."""

    stats: BackupStats


class BackupJob:
    """Uploads what is not yet in the backup bucket, in a worker of ``host`` (resumable)."""

    def __init__(self, host: DOMNode, library: Library) -> None:
        self._host = host
        self._library = library

    @property
    def running(self) -> bool:
        return any(w.group == GROUP and not w.is_finished for w in self._host.workers)

    def start(self) -> Worker[BackupStats | None] | None:
        """Start a backup (None when one runs already); the config is read on the worker."""
        if self.running:
            return None
        return self._host.run_worker(
            self._run, thread=True, exclusive=True, exit_on_error=False, group=GROUP, description="Backup"
        )

    def stop(self) -> None:
        """Stop after the uploads in flight (what is uploaded is kept)."""
        self._host.workers.cancel_group(self._host, GROUP)

    def _run(self) -> BackupStats | None:
        from core.cloud import CloudError, run_backup, transfer_settings

        library, host = self._library, self._host
        target = read_target(
            library, host, refused="Cannot back up", missing="No backup target yet.", missing_title="Back up"
        )
        if target is None:
            return None
        try:
            settings = transfer_settings(library.directory)
        except (CloudError, ConfigError) as exc:
            host.post_message(WorkerNotice(str(exc), "Cannot back up", "error", 10))
            return None
        host.post_message(BackupStarted())
        stats = run_backup(library, target, settings=settings, cancel=get_current_worker().cancelled_event,
                           progress=lambda progress: host.post_message(BackupProgressed(progress)))  # fmt: skip
        host.post_message(BackupFinished(stats))
        return stats
