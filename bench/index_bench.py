"""Indexing speed against the physical limit: a bare Pillow ``draft()`` decode loop.

    python bench/index_bench.py [--count 120] [--workers N]

Generates N 12-megapixel camera-like JPEGs (cached in bench/out/), then, in one run:
  * indexes them into a fresh library with Shoebox's indexer (default workers),
  * decodes them with a plain ``Image.open + draft + load`` loop on one core,
and prints images/s, MB/s and the ratio of the indexer's time to the loop's time
divided by the cores used. Target: ≥ 40 images/s, ratio ≤ 1.6.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from core.catalog.roots import add_root  # noqa: E402
from core.demo.pictures import Shot, exif_for, landscape  # noqa: E402
from core.indexing.indexer import default_workers, index_library  # noqa: E402
from core.library import Library  # noqa: E402
from core.media.decode import DRAFT_SIZE  # noqa: E402

WIDTH, HEIGHT = 4000, 3000


def make_corpus(folder: Path, count: int) -> list[Path]:
    """N distinct 12-MP JPEGs: a few generated scenes, each varied so every file differs."""
    existing = sorted(folder.glob("*.jpg"))
    if len(existing) >= count:
        return existing[:count]
    folder.mkdir(parents=True, exist_ok=True)
    bases = [landscape(WIDTH, HEIGHT, seed) for seed in range(8)]
    rng = random.Random(1)
    paths = []
    for i in range(count):
        img = bases[i % len(bases)].copy()
        draw = ImageDraw.Draw(img)
        x, y = rng.randrange(WIDTH - 400), rng.randrange(HEIGHT - 300)
        draw.rectangle([x, y, x + 400, y + 300], outline=(255, 255, 255), width=9)
        shot = Shot(
            taken_at=f"2023:07:{1 + i % 28:02d} 10:{i % 60:02d}:00", make="NIKON", model="Z 6", gps=(43.4, 11.8)
        )
        path = folder / f"DSC_{i:04d}.jpg"
        img.save(path, "JPEG", quality=90, exif=exif_for(shot).tobytes())
        paths.append(path)
    return paths


def draft_loop(paths: list[Path]) -> float:
    """Seconds for one core to open, draft-decode and load every file."""
    start = time.perf_counter()
    for path in paths:
        with Image.open(path) as img:
            img.draft("RGB", (DRAFT_SIZE, DRAFT_SIZE))
            img.load()
    return time.perf_counter() - start


def index_run(folder: Path, workers: int) -> tuple[float, int]:
    """Seconds for Shoebox to index the folder into a fresh library; files indexed."""
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "library") as library:
        add_root(library.db, str(folder))
        start = time.perf_counter()
        stats = index_library(library, workers=workers)
        return time.perf_counter() - start, stats.indexed


def corpus_parser(doc: str, count: int, out_name: str) -> argparse.ArgumentParser:
    """The options of a bench on generated photos: --count, --workers, --out (bench/out/NAME), --fresh."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / out_name)
    parser.add_argument("--fresh", action="store_true", help="regenerate the photos")
    return parser


def parse_corpus_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The arguments, with the cached photos thrown away first when --fresh asks."""
    args = parser.parse_args()
    if args.fresh and args.out.exists():
        shutil.rmtree(args.out)
    return args


def main() -> None:
    args = parse_corpus_args(corpus_parser(__doc__, 120, "index_corpus"))
    t0 = time.perf_counter()
    paths = make_corpus(args.out, args.count)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(
        f"corpus: {len(paths)} JPEGs of {WIDTH}x{HEIGHT}, {megabytes:.0f} MB (ready in {time.perf_counter() - t0:.0f} s)"
    )
    draft_loop(paths[:5])  # warm the page cache and libjpeg
    loop_seconds = draft_loop(paths)
    index_seconds, indexed = index_run(args.out, args.workers)
    assert indexed == len(paths), f"indexed {indexed} of {len(paths)}"
    cores = min(args.workers, os.cpu_count() or 1)
    print(f"machine: {os.cpu_count()} cores, indexer workers: {args.workers}")
    print(
        f"draft-decode loop (1 core): {len(paths) / loop_seconds:6.1f} images/s  {megabytes / loop_seconds:6.1f} MB/s"
    )
    print(
        f"shoebox indexer:            {len(paths) / index_seconds:6.1f} images/s  {megabytes / index_seconds:6.1f} MB/s"
    )
    ratio = index_seconds / (loop_seconds / cores)
    print(f"indexer time / (draft loop time / {cores} cores) = {ratio:.2f}   (target ≤ 1.6)")
    print(f"target ≥ 40 images/s: {'met' if len(paths) / index_seconds >= 40 else 'NOT met'}")


if __name__ == "__main__":
    main()
