"""Indexing in a thread worker: the same :func:`core.indexing.indexer.index_library` the CLI runs."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker

from core.catalog import RootError, add_root, check_root, diagnose, list_roots
from core.indexing import IndexProgress, IndexStats
from core.library import Library
from tui.worker_errors import CatalogDamageFound, WorkerNotice

#: The worker group (the app cancels it on quit and watches it for errors).
GROUP = "indexing"


@dataclass
class IndexingProgress(Message):
    """A progress snapshot from the indexing worker (newer ones replace queued ones)."""

    progress: IndexProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexingProgress)


@dataclass
class IndexingFinished(Message):
    """Indexing ended (``stats.cancelled`` when stopped); ``stage_only`` when one stage ran alone."""

    stats: IndexStats
    stage_only: bool = False


@dataclass
class IndexingRefused(Message):
    """Nothing was indexed: the folder cannot be added, or there are no folders (``text`` says which)."""

    text: str
    title: str = ""
    severity: str = "information"


class IndexingJob:
    """Indexes the library in a worker of ``host``, posting :class:`IndexingProgress`, then finished or refused."""

    def __init__(self, host: DOMNode, library: Library) -> None:
        self._host = host
        self._library = library
        self._stop = threading.Event()

    def start(self, roots: list[str] | None, *, add: bool) -> Worker[IndexStats | None]:
        """Index ``roots`` (all roots when None), registering them first when ``add``."""
        return self._run(lambda stop: self._index(roots, add, stop))

    def add_folder(self, folder: str) -> Worker[IndexStats | None]:
        """Check ``folder`` may be a root, then add and index it with the roots it overlaps."""
        return self._run(lambda stop: self._add_folder(folder, stop))

    def run_stage(self, name: str) -> Worker[IndexStats | None]:
        """Run the index stage ``name`` alone over the photos it has not done (``index --only NAME``)."""
        return self._run(lambda stop: self._stage(name, stop))

    def stop(self) -> None:
        """Ask the running indexing to stop at its next check (what is done is kept)."""
        self._stop.set()

    def _run(self, work: Callable[[threading.Event], IndexStats | None]) -> Worker[IndexStats | None]:
        """Run ``work`` with a fresh stop event, made here: a stop pressed before the thread starts still counts."""
        stop = self._stop = threading.Event()
        return self._host.run_worker(lambda: work(stop), thread=True, exclusive=True, exit_on_error=False,
                                     group=GROUP, description="Indexing photos")  # fmt: skip

    def _add_folder(self, folder: str, stop: threading.Event) -> IndexStats | None:
        try:
            overlaps = check_root(self._library.db, folder)
        except RootError as exc:
            self._host.post_message(IndexingRefused(str(exc), "Not added", "warning"))
            return None
        for overlap in overlaps:
            self._host.post_message(WorkerNotice(overlap.note(folder), "Folders overlap"))
        # The overlapping roots are walked again, so each photo ends up under one root.
        return self._index(list(dict.fromkeys([folder, *(o.root.path for o in overlaps)])), True, stop)

    def _stage(self, name: str, stop: threading.Event) -> IndexStats:
        from core.indexing import get_stage, run_only

        host = self._host
        stats = run_only(
            self._library, get_stage(name), progress=lambda p: host.post_message(IndexingProgress(p)), cancel=stop
        )
        host.post_message(IndexingFinished(stats, stage_only=True))
        return stats

    def _index(self, roots: list[str] | None, add: bool, stop: threading.Event) -> IndexStats | None:
        from core.indexing import index_library  # imports numpy: only when indexing

        library, host = self._library, self._host
        if roots is None and not list_roots(library.db):
            host.post_message(IndexingRefused("No folders yet: press a to add one."))
            return None
        if add and roots:
            for root in roots:
                try:
                    add_root(library.db, root)
                except RootError:  # checked when the folder was chosen; added meanwhile by another way
                    continue
        stats = index_library(
            library, roots, progress=lambda progress: host.post_message(IndexingProgress(progress)), cancel=stop
        )
        host.post_message(IndexingFinished(stats))
        if (damage := diagnose(library.db.path)) is not None:  # as `shoebox index` checks after a run
            host.post_message(CatalogDamageFound(damage))
        return stats
