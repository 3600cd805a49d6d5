"""Reading files in worker processes, robust to decoders that crash.

Pixels are decoded in a process pool so that all cores work. A malicious or broken
file can crash a C decoder and take its worker down; when that happens the files that
were in flight are retried one at a time, so the culprit is identified, reported as a
problem, and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from core.media.analyze import analyze_file
from core.media.records import MediaInfo, UnreadableMedia
from core.media.thumbnails import ThumbnailCache


@dataclass(slots=True)
class Job:
    """One file to read, and the root it belongs to."""

    path: str
    root_id: int | None
    size: int
    mtime_ns: int


@dataclass(slots=True)
class JobResult:
    """The outcome of one job: ``info`` when the file was read, else a ``reason``."""

    job: Job
    info: MediaInfo | None = None
    reason: str | None = None


def read_one(job: Job, thumbnails: ThumbnailCache | None) -> JobResult:
    """Read one file; bad input becomes a reason, never an exception."""
    try:
        return JobResult(job, info=analyze_file(job.path, thumbnails=thumbnails))
    except UnreadableMedia as exc:
        return JobResult(job, reason=str(exc))
    except Exception as exc:  # a bug in a parser must not stop the run
        return JobResult(job, reason=f"unexpected error while reading: {type(exc).__name__}: {exc}")


def read_chunk(jobs: list[Job], thumbnails: ThumbnailCache | None) -> list[JobResult]:
    """Worker-process entry point: read a few files."""
    return [read_one(job, thumbnails) for job in jobs]


def read_in_process(
    jobs: Sequence[Job], thumbnails: ThumbnailCache | None, cancel: threading.Event | None
) -> Iterator[JobResult]:
    """Read files one after the other in this process (small jobs, ``--workers 1``)."""
    for job in jobs:
        if cancel is not None and cancel.is_set():
            return
        yield read_one(job, thumbnails)


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a usable stderr.

    The tracker inherits ``sys.stderr``'s file descriptor; inside a host that replaces
    stderr (Textual's print capture has ``fileno() == -1``) starting a pool fails with
    "bad value(s) in fds_to_keep". Starting it once with the real stderr (or /dev/null)
    avoids that; later pools reuse it.
    """
    from contextlib import redirect_stderr
    from multiprocessing import resource_tracker

    if _has_fileno(sys.stderr):
        resource_tracker.ensure_running()
        return
    if sys.__stderr__ is not None and _has_fileno(sys.__stderr__):
        with redirect_stderr(sys.__stderr__):
            resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as devnull, redirect_stderr(devnull):
        resource_tracker.ensure_running()


def _has_fileno(stream: object) -> bool:
    try:
        return stream.fileno() >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def _pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` when this process has a single thread (the CLI): workers start in
    milliseconds with every module already imported. ``forkserver`` otherwise (the TUI
    indexes from a worker thread, and forking a threaded process is unsafe)."""
    ensure_resource_tracker()
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["core.media.analyze"])
    return ctx


def _ping() -> bool:
    return True


def _pool_works(workers: int) -> bool:
    """Whether a fresh pool can run anything at all (to tell a bad file from a bad pool)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=_pool_context()) as pool:
            return pool.submit(_ping).result(timeout=60)
    except Exception:
        return False


def read_in_pool(
    jobs: Sequence[Job],
    thumbnails: ThumbnailCache | None,
    workers: int,
    cancel: threading.Event | None,
    chunk_size: int = 4,
) -> Iterator[JobResult]:
    """Read files in ``workers`` processes; results arrive in completion order."""
    normal: deque[list[Job]] = deque(list(jobs[i : i + chunk_size]) for i in range(0, len(jobs), chunk_size))
    careful: deque[list[Job]] = deque()  # files that were in flight when a worker crashed
    while normal or careful:
        queue, limit = (careful, 1) if careful else (normal, workers * 2)
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            in_flight: dict[Future[list[JobResult]], list[Job]] = {}
            try:
                while queue or in_flight:
                    while queue and len(in_flight) < limit:
                        chunk = queue.popleft()
                        in_flight[pool.submit(read_chunk, chunk, thumbnails)] = chunk
                    done, _ = wait(in_flight, timeout=0.25, return_when=FIRST_COMPLETED)
                    for future in done:
                        chunk = in_flight.pop(future)
                        yield from future.result()
                    if cancel is not None and cancel.is_set():
                        pool.shutdown(wait=False, cancel_futures=True)
                        return
            except BrokenProcessPool:
                lost = [job for chunk in in_flight.values() for job in chunk]
                if queue is careful and len(lost) == 1 and not _pool_works(workers):
                    # Worker processes cannot run here at all: read in this process instead.
                    rest = [*lost, *(job for chunk in (*careful, *normal) for job in chunk)]
                    yield from read_in_process(rest, thumbnails, cancel)
                    return
                if queue is careful and len(lost) == 1:
                    yield JobResult(lost[0], reason="this file crashed the image decoder; it was skipped")
                else:
                    careful.extend([job] for job in lost)
