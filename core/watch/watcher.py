"""The long-running watch: file events in, settled batches applied, backups queued and sent.

Roots that fit the inotify budget are watched with watchfiles; the others (and all of
them, if the OS refuses watches at run time) are rescanned incrementally every
``rescan_interval`` seconds, said once in the log. Everything is reported through
``logging`` (the CLI logs to stdout, which systemd collects); ``stop`` ends the loop.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from core.catalog.photos import now_iso
from core.catalog.roots import list_roots
from core.cloud.target import CloudTarget, TransferSettings
from core.indexing.indexer import index_library
from core.indexing.progress import IndexStats
from core.library import Library
from core.watch.changes import ChangeStats, apply_changes, reconcile_moves
from core.watch.limits import is_watch_limit_error, split_by_budget, watch_budget
from core.watch.settle import Settler
from core.watch.window import UploadWindow

log = logging.getLogger("shoebox.watch")


@dataclass
class AutoBackup:
    """Back new photos up as they arrive (only inside ``window`` when one is given)."""

    target: CloudTarget
    settings: TransferSettings = field(default_factory=TransferSettings)
    window: UploadWindow | None = None


@dataclass
class WatchOptions:
    settle: float = 2.0  # seconds a file must be quiet before it is read
    rescan_interval: float = 300.0  # seconds between rescans of roots that cannot be watched
    budget: int | None = -1  # folders that may be watched; -1: a share of the OS limit, None: no limit
    workers: int = 1
    backup: AutoBackup | None = None
    tick: float = 0.5  # how often settled files are looked for


class Watcher:
    """Watches a library's roots until ``stop`` is set."""

    def __init__(self, library: Library, options: WatchOptions | None = None,
                 stop: threading.Event | None = None) -> None:  # fmt: skip
        self.library = library
        self.options = options or WatchOptions()
        self.stop = stop or threading.Event()
        self.settler = Settler(self.options.settle)
        self.totals = ChangeStats()
        self.watched: list[str] = []
        self.rescanned: list[str] = []
        self._last_rescan = time.monotonic()
        self._backup_thread: threading.Thread | None = None
        self._backup_wanted = threading.Event()
        self._upload_pending = False
        self._retry_at = 0.0
        self.backups = 0  # finished auto-backup runs
        self._previous_since: str | None = None  # when the previous incremental index started

    # --- the loop ------------------------------------------------------------------------

    def run(self) -> ChangeStats:
        """Catch up with an incremental index, then follow changes until stopped."""
        roots = [r.path for r in list_roots(self.library.db)]
        budget = watch_budget() if self.options.budget == -1 else self.options.budget
        self.watched, self.rescanned = split_by_budget(roots, budget)
        if self.rescanned:
            log.warning("too many folders to watch in %s (inotify limit); rescanning every %.0f s instead",
                        ", ".join(self.rescanned), self.options.rescan_interval)  # fmt: skip
        log.info("catching up: indexing changes made while not watching")
        stats = self._index(None)
        log.info("caught up: %d indexed, %d unchanged, %d missing", stats.indexed, stats.unchanged, stats.missing)
        self._want_backup()
        log.info("watching %d roots%s", len(self.watched),
                 f", rescanning {len(self.rescanned)}" if self.rescanned else "")  # fmt: skip
        while not self.stop.is_set():
            if self.watched:
                try:
                    self._follow_events()
                except Exception as exc:
                    if not is_watch_limit_error(exc):
                        raise
                    log.warning("the OS refused more file watches (%s); rescanning every %.0f s instead",
                                exc, self.options.rescan_interval)  # fmt: skip
                    self.rescanned += self.watched
                    self.watched = []
            else:
                self._idle()
        self._finish_backup()
        log.info("stopped")
        return self.totals

    def _follow_events(self) -> None:
        from watchfiles import Change, watch

        library_dir = str(self.library.directory)
        deleted: set[str] = set()

        def wanted(_change: Change, path: str) -> bool:
            return not (path == library_dir or path.startswith(library_dir + "/") or "/." in path)

        for changes in watch(*self.watched, watch_filter=wanted, stop_event=self.stop, debounce=400, step=50,
                             rust_timeout=int(self.options.tick * 1000), yield_on_timeout=True,
                             raise_interrupt=False):  # fmt: skip
            for change, path in changes:
                self.settler.touch(path)
                if change == Change.deleted:
                    deleted.add(path)
                else:
                    deleted.discard(path)
            self._apply_settled(deleted)
            self._periodic()
            if self.stop.is_set():
                return

    def _idle(self) -> None:
        self.stop.wait(self.options.tick)
        self._periodic()

    def _periodic(self) -> None:
        now = time.monotonic()
        if self.rescanned and now - self._last_rescan >= self.options.rescan_interval:
            self._last_rescan = now
            stats = self._index(self.rescanned)
            if stats.indexed or stats.missing:
                log.info("rescan: %d indexed, %d missing", stats.indexed, stats.missing)
                self._want_backup()
        self._maybe_backup()

    def _index(self, roots: list[str] | None) -> IndexStats:
        """An incremental index whose moves (vanished + new with the same content) keep their rows."""
        since = now_iso()
        stats = index_library(self.library, roots, workers=self.options.workers, cancel=self.stop)
        # A move that happens while a rescan walks the tree can be seen in two halves: the
        # new path in this run, the old one vanishing only in the next. So rows indexed since
        # the previous run started still count as the new side of a move.
        moved = reconcile_moves(self.library, self._previous_since or since)
        self._previous_since = since
        if moved:
            log.info("%d photos were moved: their rows follow them", moved)
            self.totals.moved += moved
        return stats

    def _apply_settled(self, deleted: set[str]) -> None:
        ready = self.settler.ready()
        if not ready:
            return
        gone = [p for p in ready if p in deleted]
        deleted.difference_update(gone)
        changed = [p for p in ready if p not in gone]
        stats = apply_changes(self.library, changed, gone, workers=self.options.workers,
                              pending=self.settler.pending(), settle=self.options.settle, cancel=self.stop)  # fmt: skip
        for path in stats.unsettled:
            self.settler.touch(path)
        for name in ("indexed", "moved", "missing", "problems", "unchanged", "sidecars_read"):
            setattr(self.totals, name, getattr(self.totals, name) + getattr(stats, name))
        if stats.indexed or stats.moved or stats.missing or stats.problems:
            log.info("indexed %d, moved %d, missing %d, problems %d", stats.indexed, stats.moved, stats.missing,
                     stats.problems)  # fmt: skip
        if stats.sidecars_read:
            log.info("read %d XMP sidecars changed by other tools", stats.sidecars_read)
        for result in stats.stages:
            if result.summary:
                log.info("%s: %s", result.stage, result.summary)
        if stats.indexed or stats.sidecars_read:  # a changed sidecar is backed up too
            self._want_backup()

    # --- auto-backup -----------------------------------------------------------------------

    def _want_backup(self) -> None:
        if self.options.backup is not None:
            self._backup_wanted.set()
            self._maybe_backup()

    def _maybe_backup(self) -> None:
        """Start a backup in the background when one is wanted, none runs and the window is open.

        Outside the window new photos are only queued; the queue is uploaded once the
        window opens. A backup that ended with work left (window closed, server away) is
        tried again a minute later.
        """
        auto = self.options.backup
        if auto is None or (self._backup_thread is not None and self._backup_thread.is_alive()):
            return
        from core.cloud.backup import enqueue_backup

        if auto.window is not None and not auto.window.contains(datetime.now()):
            if self._backup_wanted.is_set():
                self._backup_wanted.clear()
                queued = enqueue_backup(self.library, auto.target)
                log.info("queued %d photos for backup; uploads wait for the window %s", queued, auto.window)
                self._upload_pending = True
            return
        due = self._upload_pending and time.monotonic() >= self._retry_at
        if not (self._backup_wanted.is_set() or due):
            return
        self._backup_wanted.clear()
        self._upload_pending = False
        self._backup_thread = threading.Thread(target=self._backup, name="auto-backup", daemon=True)
        self._backup_thread.start()

    def _backup(self) -> None:
        from core.cloud.backup import run_backup
        from core.cloud.errors import CloudError

        auto = self.options.backup
        assert auto is not None
        stop_at = None
        if auto.window is not None:
            stop_at = time.monotonic() + auto.window.seconds_left(datetime.now())
        try:
            stats = run_backup(self.library, auto.target, settings=auto.settings, cancel=self.stop, stop_at=stop_at)
        except CloudError as exc:
            log.error("backup: %s", exc)
            self._retry_later()
            return
        except Exception:
            log.exception("backup failed")
            self._retry_later()
            return
        log.info("backup: %d uploaded, %d already there, %d failed, %d still queued", stats.uploaded,
                 stats.found_in_bucket, stats.failed, stats.remaining)  # fmt: skip
        if stats.stopped:
            log.warning("backup: %s", stats.stopped)
        self.backups += 1
        if stats.remaining and not self.stop.is_set():
            self._retry_later()

    def _retry_later(self, seconds: float = 60.0) -> None:
        self._upload_pending = True
        self._retry_at = time.monotonic() + seconds

    def _finish_backup(self) -> None:
        if self._backup_thread is not None:
            self._backup_thread.join()
