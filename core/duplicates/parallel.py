"""Pixel verification on every core: a pool of worker processes checking candidate pairs.

Measured (``bench/verify_bench.py``, 2,000 photos, 526 pairs, 2 cores): threads sharing one
picture cache run at the speed of one (the check is many small numpy calls on 80–192 px
arrays, so the GIL is held most of the time), processes use both cores. The workers are
:mod:`core.indexing.workers`' (they die with their parent, capped memory, no SIGINT), each
with its own cache of decoded thumbnails; pairs go in small chunks and verdicts come back
in the order of the pairs, so the result does not depend on which worker was faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from core.catalog.records import Photo
from core.duplicates.verify import PictureCache, Verdict, verify_pair
from core.media.thumbnails import ThumbnailCache

__all__ = ["BrokenProcessPool", "VerifyPool"]

#: Pairs a worker checks per task: few enough that a batch spreads over the workers.
CHUNK = 4
#: Decoded thumbnails each worker keeps (about 0.4 MB each with their downscales).
WORKER_CACHE = 256

_pictures: PictureCache | None = None


def _start(setup: object, thumbnails: ThumbnailCache) -> None:
    """A verification worker's start: Shoebox's worker set-up, then its picture cache."""
    from core.duplicates.finder import thumbnail_loader
    from core.indexing.workers import init_worker

    init_worker(setup)  # type: ignore[arg-type]
    global _pictures
    _pictures = PictureCache(thumbnail_loader(thumbnails), WORKER_CACHE)  # type: ignore[arg-type]


def _verify_chunk(pairs: list[tuple[Photo, Photo]]) -> list[Verdict]:
    assert _pictures is not None, "worker not started"
    return [verify_pair(a, b, _pictures) for a, b in pairs]


class VerifyPool:
    """``workers`` processes verifying pairs with :func:`core.duplicates.verify.verify_pair`.

    Started on first use; close it (or use it as a context manager). A worker that dies
    breaks the pool: :meth:`verify` then raises ``BrokenProcessPool`` and the caller checks
    the pairs itself.
    """

    def __init__(self, thumbnails: ThumbnailCache, workers: int) -> None:
        self._thumbnails = thumbnails
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def verify(self, pairs: Sequence[tuple[Photo, Photo]]) -> list[Verdict]:
        """Verdicts of ``pairs``, in their order."""
        if self._pool is None:
            from core.indexing.workers import _pool_context, worker_setup

            ctx = _pool_context()
            self._pool = ProcessPoolExecutor(self._workers, mp_context=ctx, initializer=_start,
                                             initargs=(worker_setup(ctx, self._workers), self._thumbnails))  # fmt: skip
        chunks = [list(pairs[i : i + CHUNK]) for i in range(0, len(pairs), CHUNK)]
        return [verdict for chunk in self._pool.map(_verify_chunk, chunks) for verdict in chunk]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> VerifyPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
