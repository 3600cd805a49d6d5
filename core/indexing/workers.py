"""Reading files in worker processes, robust to decoders that crash or are killed.

Pixels are decoded in a process pool so that all cores work. A malicious or broken
file can crash a C decoder, or grow until the kernel's OOM killer ends its worker;
either way the pool breaks. The files that were in flight are then read again, each
alone in a fresh process: the innocent ones are read, and a file that kills its
process a second time is reported as a problem with the reason (killed: out of
memory? crashed: which signal?) — every file given to :func:`read_in_pool` yields
exactly one :class:`JobResult`.

The pool itself does not know what a job is: :class:`PoolWork` names the function a
worker runs on each job and how a death becomes a result, so other capabilities (the
face scan) run their own work in the same pool with the same guarantees.

Every worker (see :func:`init_worker`) dies with its parent (``PR_SET_PDEATHSIG`` and a
watch thread), keeps the default SIGTERM action rather than the CLI's handler, and
runs under an address-space limit so a runaway decoder fails with a reason instead of
taking the machine's memory.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from core.indexing.stages import cancelled
from core.media.analyze import analyze_file
from core.media.records import MediaInfo, UnreadableMedia
from core.media.thumbnails import ThumbnailCache

#: A decode that ran into the memory limit of its worker.
OUT_OF_MEMORY_REASON = "the decoder ran out of memory reading this file (it is too big to decode safely)"
#: A file whose worker was killed (SIGKILL: the OOM killer's way) twice, once in a fresh worker.
KILLED_REASON = "the decoder was killed while reading this file (out of memory?)"
#: Address space a worker may add to what it holds when it starts: a safety net under the
#: decode budget of core.media.decode (about 512 MiB of pixels), not the usual limit.
WORKER_MEMORY_LIMIT = 960 * 1024 * 1024
#: How often a worker checks that its parent is still there (the PR_SET_PDEATHSIG backstop).
PARENT_WATCH_SECONDS = 0.5


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
    died: bool = False  # the process reading it died (the reason says how)


def read_one(job: Job, thumbnails: ThumbnailCache | None) -> JobResult:
    """Read one file; bad input becomes a reason, never an exception."""
    try:
        return JobResult(job, info=analyze_file(job.path, thumbnails=thumbnails))
    except UnreadableMedia as exc:
        return JobResult(job, reason=str(exc))
    except MemoryError:  # the worker's memory limit (see init_worker), or the machine's
        return JobResult(job, reason=OUT_OF_MEMORY_REASON)
    except Exception as exc:  # a bug in a parser must not stop the run
        return JobResult(job, reason=f"unexpected error while reading: {type(exc).__name__}: {exc}")


JobT = TypeVar("JobT")
ResultT = TypeVar("ResultT")


@dataclass(frozen=True, slots=True)
class PoolWork(Generic[JobT, ResultT]):
    """What the pool does with each job; the functions are module-level (picklable)."""

    run: Callable[[JobT, Any], ResultT]  # one job, in a worker: bad input is a result, never an exception
    died: Callable[[JobT, str], ResultT]  # the result of a job whose process died twice, with the reason
    context: Any = None  # run's second argument (the thumbnail cache, the face sizes)
    chunk_size: int = 4  # jobs a worker takes at a time
    preload: tuple[str, ...] = ("core.media.analyze",)  # modules a forkserver imports once


def _read_died(job: Job, reason: str) -> JobResult:
    return JobResult(job, reason=reason, died=True)


def media_work(thumbnails: ThumbnailCache | None, chunk_size: int = 4) -> PoolWork[Job, JobResult]:
    """The indexer's work: analyze each file (metadata, hashes, thumbnail)."""
    return PoolWork(read_one, _read_died, thumbnails, chunk_size)


def run_chunk(run: Callable[[Any, Any], Any], jobs: list[Any], context: Any) -> list[Any]:
    """Worker-process entry point: a few jobs."""
    return [run(job, context) for job in jobs]


def run_in_process(
    jobs: Sequence[JobT], work: PoolWork[JobT, ResultT], cancel: threading.Event | None
) -> Iterator[ResultT]:
    """Run jobs one after the other in this process (small jobs, ``--workers 1``)."""
    for job in jobs:
        if cancelled(cancel):
            return
        yield work.run(job, work.context)


def read_in_process(
    jobs: Sequence[Job], thumbnails: ThumbnailCache | None, cancel: threading.Event | None
) -> Iterator[JobResult]:
    """Read files one after the other in this process (small jobs, ``--workers 1``)."""
    return run_in_process(jobs, media_work(thumbnails), cancel)


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


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _pool_context(preload: Sequence[str] = ("core.media.analyze",)) -> multiprocessing.context.BaseContext:
    """``fork`` when this process has a single thread (the CLI): workers start in
    milliseconds with every module already imported. ``forkserver`` otherwise (the TUI
    indexes from a worker thread, and forking a threaded process is unsafe)."""
    ensure_resource_tracker()
    methods = multiprocessing.get_all_start_methods()
    if forks_workers():
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(list(preload))
    return ctx


def forks_workers() -> bool:
    """Whether a pool started now forks this process (then what it has loaded, workers have)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What each worker process does first (see :func:`init_worker`); picklable."""

    parent_pid: int  # the Shoebox process that owns the pool
    memory_limit: int | None  # bytes of address space a worker may add; None: no limit
    big_decode: Any = None  # a multiprocessing lock: one large decode at a time
    big_decode_above: int = 64 * 1024 * 1024  # bytes from which a decode is large


def init_worker(setup: WorkerSetup) -> None:
    """Worker-process start: default SIGTERM, no SIGINT (the parent cancels), die with
    the parent, cap memory, share the large-decode lock."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(setup.parent_pid)
    if setup.memory_limit:
        _limit_address_space(setup.memory_limit)
    if setup.big_decode is not None:
        from core.media.decode import set_large_decode_lock

        set_large_decode_lock(setup.big_decode, setup.big_decode_above)


def _die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when its parent dies, and watch the parent as a backstop:
    the death signal follows the forkserver (not Shoebox) under ``forkserver``, and a
    parent that died before the ``prctl`` would never send it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the watch thread alone
        pass
    direct_parent = os.getppid()
    if not _alive(parent_pid) or (direct_parent == 1 and parent_pid != 1):
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(PARENT_WATCH_SECONDS)
            if os.getppid() != direct_parent or not _alive(parent_pid):
                os._exit(1)

    threading.Thread(target=watch, name="shoebox-parent-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _limit_address_space(extra: int) -> None:
    """RLIMIT_AS at what this process maps now plus ``extra``: past it, allocations fail
    (a MemoryError, a reason) instead of the OOM killer choosing a victim."""
    try:
        with open("/proc/self/statm") as handle:
            mapped = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mapped + extra
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass


def worker_setup(ctx: multiprocessing.context.BaseContext, workers: int) -> WorkerSetup:
    """The setup of this process's ``workers`` (memory limit, a fresh large-decode lock;
    decodes in parallel take at most 256 MiB together)."""
    above = max(16 << 20, min(64 << 20, (256 << 20) // max(workers, 1)))
    return WorkerSetup(os.getpid(), WORKER_MEMORY_LIMIT, ctx.Lock(), above)


def _ping() -> bool:
    return True


def _pool_works(ctx: multiprocessing.context.BaseContext, setup: WorkerSetup) -> bool:
    """Whether a fresh pool can run anything at all (to tell a bad file from a bad pool)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=init_worker, initargs=(setup,)) as pool:
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
    """Read files in ``workers`` processes; results arrive in completion order, one per job
    (unless cancelled)."""
    return run_in_pool(jobs, media_work(thumbnails, chunk_size), workers, cancel)


def run_in_pool(
    jobs: Sequence[JobT], work: PoolWork[JobT, ResultT], workers: int, cancel: threading.Event | None
) -> Iterator[ResultT]:
    """Run ``work`` on the jobs in ``workers`` processes; results arrive in completion order,
    one per job (unless cancelled). Jobs a dead worker held run again alone (see the module)."""
    ctx = _pool_context(work.preload)
    setup = worker_setup(ctx, workers)
    size = work.chunk_size
    pending: deque[list[JobT]] = deque(list(jobs[i : i + size]) for i in range(0, len(jobs), size))
    while pending:
        lost: list[JobT] = []
        yield from _run_until_broken(pending, lost, work, workers, cancel, ctx, setup)
        for index, job in enumerate(lost):
            if cancelled(cancel):
                return
            outcome = run_alone(job, work, ctx, setup, cancel)
            if outcome is None:
                return
            result, died = outcome
            if died and not _pool_works(ctx, setup):
                # Worker processes cannot run here at all: run in this process instead.
                rest = [*lost[index:], *(j for chunk in pending for j in chunk)]
                yield from run_in_process(rest, work, cancel)
                return
            yield result
        if cancelled(cancel):
            return


def _run_until_broken(
    pending: deque[list[JobT]],
    lost: list[JobT],
    work: PoolWork[JobT, ResultT],
    workers: int,
    cancel: threading.Event | None,
    ctx: multiprocessing.context.BaseContext,
    setup: WorkerSetup,
) -> Iterator[ResultT]:
    """Run chunks from ``pending`` in one pool until done, cancelled, or the pool breaks;
    the jobs a broken pool did not finish go to ``lost``."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker,
                             initargs=(setup,)) as pool:  # fmt: skip
        in_flight: dict[Future[list[ResultT]], list[JobT]] = {}
        broken = False
        while (pending or in_flight) and not broken:
            try:
                while pending and len(in_flight) < workers * 2:
                    chunk = pending.popleft()
                    in_flight[pool.submit(run_chunk, work.run, chunk, work.context)] = chunk
            except Exception:  # BrokenProcessPool: a worker died since the last wait
                pending.appendleft(chunk)
                broken = True
            done, _ = wait(in_flight, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    results = future.result()
                except Exception:  # BrokenProcessPool (or a result that cannot be unpickled)
                    broken = True
                    continue  # stays in flight: run again below
                del in_flight[future]
                yield from results
            if cancelled(cancel):
                pool.shutdown(wait=False, cancel_futures=True)
                return
        lost.extend(job for chunk in in_flight.values() for job in chunk)


def read_alone(
    job: Job,
    thumbnails: ThumbnailCache | None,
    ctx: multiprocessing.context.BaseContext,
    setup: WorkerSetup,
    cancel: threading.Event | None,
) -> JobResult | None:
    """Read one file in a fresh process of its own; a death becomes the file's problem
    (None when cancelled)."""
    outcome = run_alone(job, media_work(thumbnails), ctx, setup, cancel)
    return None if outcome is None else outcome[0]


def run_alone(
    job: JobT,
    work: PoolWork[JobT, ResultT],
    ctx: multiprocessing.context.BaseContext,
    setup: WorkerSetup,
    cancel: threading.Event | None,
) -> tuple[ResultT, bool] | None:
    """Run one job in a fresh process of its own: (its result, whether the process died —
    then the result is ``work.died``'s); None when cancelled."""
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run_alone_main, args=(sender, job, work, setup), daemon=True)
    process.start()
    sender.close()
    result: Any = None
    answered = False
    try:
        while not answered:
            if receiver.poll(0.25):
                try:
                    result, answered = receiver.recv(), True
                except (EOFError, OSError):  # it died before answering
                    break
            elif not process.is_alive() and not receiver.poll(0):
                break
            if not answered and cancelled(cancel):
                process.kill()
                return None
    finally:
        process.join()
        receiver.close()
    if answered:
        return result, False
    return work.died(job, death_reason(process.exitcode)), True


def _run_alone_main(sender: Any, job: Any, work: PoolWork, setup: WorkerSetup) -> None:
    init_worker(setup)
    sender.send(work.run(job, work.context))
    sender.close()


def death_reason(exitcode: int | None) -> str:
    """Why a worker that read one file alone gave no answer, for the problems list."""
    if exitcode == -signal.SIGKILL:
        return KILLED_REASON
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"this file crashed the image decoder ({name}); it was skipped"
    return f"the decoder stopped while reading this file (exit status {exitcode}); it was skipped"
