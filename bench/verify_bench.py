"""Pixel verification of candidate pairs: one thread, a thread pool, a process pool.

Indexes a generated library (``bench/dupes_bench.py``'s planted copies; the photos are kept in
bench/out between runs), takes every candidate pair ``find_groups`` would propose, and
checks all of them (no pair skipped because an earlier one joined it, no cached verdicts)
three ways, each with a fresh picture cache:

- serially, in this process (the baseline of the ratios);
- ``--workers`` threads sharing one :class:`core.duplicates.verify.PictureCache`;
- ``--workers`` processes (:mod:`core.indexing.workers` set-up: they die with this process),
  each with its own cache, pairs sent in chunks in nearest-first order.

Prints the time of each, the ratio to serial, thumbnails decoded, and checks that the three
give the same verdicts. Usage: ``python3 bench/verify_bench.py [--library 2000] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from core.catalog.records import Photo  # noqa: E402
from core.duplicates.verify import PictureCache, Verdict, verify_pair  # noqa: E402

_cache: PictureCache | None = None


def _start_worker(setup: object, thumbnails: object) -> None:
    """A verification worker: Shoebox's worker set-up, then its own picture cache."""
    from core.indexing.workers import init_worker

    init_worker(setup)  # type: ignore[arg-type]
    global _cache
    _cache = PictureCache(_loader(thumbnails))


def _loader(thumbnails: object):  # noqa: ANN202
    from PIL import Image

    def load(photo: Photo) -> Image.Image | None:
        path = thumbnails.ensure(photo.fs_path, photo.sha256)  # type: ignore[attr-defined]
        if path is None:
            return None
        with Image.open(path) as image:
            return image.convert("RGB")

    return load


def _verify_chunk(pairs: list[tuple[Photo, Photo]]) -> list[Verdict]:
    assert _cache is not None
    return [verify_pair(a, b, _cache) for a, b in pairs]


def candidate_pairs(library: object) -> list[tuple[Photo, Photo]]:
    """Every candidate pair of the library's representatives, nearest first."""
    import numpy as np

    from core.duplicates.finder import _photos_by_id, backfill_crop_hashes, find_candidate_pairs
    from core.duplicates.settings import DEFAULT_THRESHOLD

    db = library.db  # type: ignore[attr-defined]
    backfill_crop_hashes(library)  # type: ignore[arg-type]
    rows = db.query("SELECT id, sha256, phash, dhash, crop_hashes FROM photos WHERE status = 'present' ORDER BY id")
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row[1], row[0])
    reps = [r for r in rows if first[r[1]] == r[0] and (r[2] or r[3])]
    found = find_candidate_pairs(
        [r[2] for r in reps], [r[3] for r in reps], DEFAULT_THRESHOLD, crop_hashes=[r[4] for r in reps]
    )
    ids = np.array([r[0] for r in reps], dtype=np.int64)
    pairs = [(int(ids[i]), int(ids[j])) for i, j, _d in found]
    photos = _photos_by_id(db, {i for p in pairs for i in p})
    return [(photos[a], photos[b]) for a, b in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=int, default=2000, help="photos in the generated library (10%% copies)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--chunk", type=int, default=8, help="pairs per process-pool task")
    args = parser.parse_args()
    import dupes_bench

    from core.catalog.roots import add_root
    from core.indexing.indexer import index_library
    from core.indexing.workers import _pool_context, worker_setup
    from core.library import Library

    folder = Path(__file__).parent / "out" / "dupes_library" / str(args.library) / "photos"
    dupes_bench.planted_library(folder, args.library, args.library // 10)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "library") as library:
        add_root(library.db, str(folder))
        index_library(library, workers=args.workers)
        pairs = candidate_pairs(library)
        print(f"{args.library} photos, {len(pairs)} candidate pairs, {args.workers} workers")

        load = _loader(library.thumbnails)
        cache = PictureCache(load)
        started = time.perf_counter()
        serial = [verify_pair(a, b, cache) for a, b in pairs]
        serial_s = time.perf_counter() - started
        print(
            f"  serial:    {serial_s:6.2f} s  ({1000 * serial_s / max(1, len(pairs)):.1f} ms a pair, {cache.loads} thumbnails decoded)"
        )

        cache = PictureCache(load)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.workers) as pool:
            threaded = list(pool.map(lambda p: verify_pair(p[0], p[1], cache), pairs))
        threads_s = time.perf_counter() - started
        print(
            f"  threads:   {threads_s:6.2f} s  = {threads_s / serial_s:.2f} × serial ({cache.loads} thumbnails decoded)"
        )

        ctx = _pool_context()
        started = time.perf_counter()
        chunks = [pairs[i : i + args.chunk] for i in range(0, len(pairs), args.chunk)]
        with ProcessPoolExecutor(args.workers, mp_context=ctx, initializer=_start_worker,
                                 initargs=(worker_setup(ctx, args.workers), library.thumbnails)) as pool:  # fmt: skip
            processed = [v for chunk in pool.map(_verify_chunk, chunks) for v in chunk]
        processes_s = time.perf_counter() - started
        print(
            f"  processes: {processes_s:6.2f} s  = {processes_s / serial_s:.2f} × serial ({ctx.get_start_method()}, chunks of {args.chunk})"
        )
        same = serial == threaded == processed
        print(f"  same verdicts all three ways: {same}; {sum(v.same for v in serial)} pairs pass")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
