"""Duplicates benchmark: accuracy on the real-photo corpus, and Hamming search speed.

Prints, in one run:

1. pairwise precision and recall of ``find_groups`` against ``dup_groups.tsv`` (the corpus is
   indexed into a temporary library first), with the time of the search and verification;
2. the time to find all pairs within the default threshold among 100k and 1M synthetic
   64-bit hashes with planted near pairs (``near_pairs``, one hash), the time of the full
   candidate step (phash *and* dhash, ``find_candidate_pairs``) and the recall of the
   planted pairs;
3. a naive numpy all-pairs baseline (blocked XOR + popcount) on the largest size it does
   in reasonable time, checked to give the same pairs, extrapolated to 1M.

Usage: ``python3 bench/dupes_bench.py [--sizes 100000 1000000] [--baseline 100000] [--no-corpus]``.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.duplicates.finder import find_candidate_pairs, find_groups  # noqa: E402
from core.duplicates.hamming import near_pairs, plan_search, uint64_to_hex  # noqa: E402
from core.duplicates.settings import DEFAULT_THRESHOLD  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_accuracy(workers: int) -> None:
    from core.catalog.roots import add_root
    from core.indexing.indexer import index_library
    from core.library import Library

    truth: dict[str, set[str]] = defaultdict(set)
    for line in (CORPUS / "dup_groups.tsv").read_text().splitlines()[1:]:
        path, group = line.split("\t")
        truth[group].add(str(CORPUS / path))
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "library") as library:
        add_root(library.db, str(CORPUS))
        started = time.perf_counter()
        index_library(library, workers=workers)
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        groups = find_groups(library)
        searched = time.perf_counter() - started
        started = time.perf_counter()
        find_groups(library)
        cached = time.perf_counter() - started
        photos = library.db.scalar("SELECT count(*) FROM photos")
        candidates = library.db.scalar("SELECT count(*) FROM duplicate_verdicts")
    found = [{p.path for p in g.photos} for g in groups]
    true_pairs = {pair for g in truth.values() for pair in itertools.combinations(sorted(g), 2)}
    found_pairs = {pair for g in found for pair in itertools.combinations(sorted(g), 2)}
    hits = len(true_pairs & found_pairs)
    complete = sum(1 for g in truth.values() if g in found)
    outsiders = {p for g in found for p in g} - {p for g in truth.values() for p in g}
    print(f"corpus: {photos} photos indexed in {indexed:.1f} s; threshold {DEFAULT_THRESHOLD}")
    print(f"  pairs: precision {hits / max(1, len(found_pairs)):.3f}, recall {hits / len(true_pairs):.3f} "
          f"({hits} of {len(true_pairs)} labelled pairs, {len(found_pairs)} found)")  # fmt: skip
    print(f"  groups: {complete} of {len(truth)} labelled groups found complete, {len(found)} groups in all, "
          f"{len(outsiders)} unlabelled photos grouped")  # fmt: skip
    print(f"  find_groups: {searched:.2f} s first run ({candidates} pairs verified on thumbnails, "
          f"{1000 * searched / max(1, candidates):.0f} ms a pair incl. thumbnail loads), {cached:.2f} s cached")  # fmt: skip


def eval_accuracy(
    seeds: list[int], workers: int, *, generated_sources: int, show: int = 5, copies_keep_exif: bool = False
) -> None:
    """Pair precision and recall on the generated evaluation set (bench/dupes_eval.py), per kind."""
    from core.catalog.roots import add_root
    from core.indexing.indexer import index_library
    from core.library import Library

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import dupes_eval

    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            truth = dupes_eval.build(
                Path(tmp) / "photos", seed, generated_sources=generated_sources, copies_keep_exif=copies_keep_exif
            )
            built = time.perf_counter() - started
            with Library.open(Path(tmp) / "library") as library:
                add_root(library.db, str(Path(tmp) / "photos"))
                started = time.perf_counter()
                index_library(library, workers=workers)
                indexed = time.perf_counter() - started
                started = time.perf_counter()
                groups = find_groups(library)
                searched = time.perf_counter() - started
                verified = library.db.scalar("SELECT count(*) FROM duplicate_verdicts")
            result = dupes_eval.score(([p.path for p in g.photos] for g in groups), truth)
        exif = "copies keep their camera photo's EXIF" if copies_keep_exif else "copies without EXIF"
        print(f"eval set ({exif}), seed {seed}: {truth.sources} sources, {truth.files} files (written in {built:.0f} s, "
              f"indexed in {indexed:.1f} s), {len(truth.bursts)} burst pairs")  # fmt: skip
        print(f"  pairs: precision {result.precision:.3f}, recall {result.recall:.3f} "
              f"({result.true_pairs} true pairs, {result.found_pairs} found); bursts joined "
              f"{result.bursts_joined} of {len(truth.bursts)}; find_groups {searched:.1f} s, {verified} pairs verified")  # fmt: skip
        for kind, (hit, total) in result.recall_by_kind.items():
            print(f"    {kind:<15} recall {hit / max(1, total):.3f} ({hit} of {total} copies joined to their source)")
        for a, b in result.missed[:show]:
            print(f"    missed: {Path(a).name} ~ {Path(b).name}")
        for a, b in result.false_pairs[:show]:
            print(f"    false:  {Path(a).name} ~ {Path(b).name}")


def planted_library(folder: Path, count: int, copies: int, seed: int = 5) -> int:
    """``count`` JPEGs (1024×768) in ``folder``: ``count - copies`` distinct photos with camera
    dates, and ``copies`` copies of random ones (kinds of bench/dupes_eval.py, half keeping the
    EXIF). Reuses the folder when it already holds them; returns the number of files."""
    from PIL import Image, ImageDraw

    from core.demo.pictures import Shot, exif_for, landscape

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import dupes_eval

    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.jpg"))) >= count:
        return count
    rng = random.Random(seed)
    tiles = [landscape(512, 384, tile) for tile in range(300)]  # each photo: four of them, and marks
    originals = count - copies
    kinds, weights = list(dupes_eval.KINDS), list(dupes_eval.KINDS.values())
    for number in range(originals):
        image = Image.new("RGB", (1024, 768))
        for quarter in range(4):
            image.paste(rng.choice(tiles), ((quarter % 2) * 512, (quarter // 2) * 384))
        draw = ImageDraw.Draw(image)
        for _ in range(3):
            x, y = rng.randrange(900), rng.randrange(650)
            draw.rectangle((x, y, x + rng.randint(20, 120), y + rng.randint(20, 120)), fill=dupes_eval._colour(rng))
        day, second = divmod(number, 86400)
        shot = Shot(taken_at=f"2024:{1 + day % 12:02d}:{1 + day // 12 % 28:02d} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}",
                    make="NIKON", model="Z 6")  # fmt: skip
        image.save(folder / f"p{number:05d}.jpg", "JPEG", quality=88, exif=exif_for(shot).tobytes())
    for number in range(copies):
        source = folder / f"p{rng.randrange(originals):05d}.jpg"
        with Image.open(source) as opened:
            image = opened.convert("RGB")
            exif = opened.info.get("exif") if rng.random() < 0.5 else None
        dupes_eval.make_copy(rng, image, rng.choices(kinds, weights)[0], folder / f"copy{number:04d}.jpg", exif)
    return count


def library_speed(folder: Path, count: int, copies: int, workers: int) -> None:
    """Indexing a generated library, then ``shoebox dupes --json`` on it (a fresh process,
    nothing cached), and the same search in-process again with cached verdicts."""
    import subprocess

    from core.catalog.roots import add_root
    from core.indexing.indexer import index_library
    from core.library import Library

    started = time.perf_counter()
    planted_library(folder / "photos", count, copies)
    print(f"library of {count:,} photos ({copies:,} planted copies) ready in {time.perf_counter() - started:.0f} s")
    with tempfile.TemporaryDirectory() as tmp:
        with Library.open(Path(tmp) / "library") as library:
            add_root(library.db, str(folder / "photos"))
            started = time.perf_counter()
            index_library(library, workers=workers)
            indexed = time.perf_counter() - started
        started = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        out = subprocess.run(
            [sys.executable, "-m", "core.cli.main", "--library", str(Path(tmp) / "library"), "dupes", "--json"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        dupes = time.perf_counter() - started
        groups = json.loads(out.stdout)
        with Library.open(Path(tmp) / "library") as library:
            verified = library.db.scalar("SELECT count(*) FROM duplicate_verdicts")
            started = time.perf_counter()
            find_groups(library)
            again = time.perf_counter() - started
    print(f"  indexing: {indexed:.1f} s ({count / indexed:.0f} photos/s, {workers} workers)")
    print(f"  dupes --json (find + verify, new process): {dupes:.1f} s = {100 * dupes / indexed:.1f} % of indexing "
          f"(target <= 10 %); {len(groups)} groups, {verified} pairs verified; again with cached verdicts {again:.1f} s")  # fmt: skip


def planted_hashes(rng: np.random.Generator, count: int, threshold: int) -> tuple[np.ndarray, set[tuple[int, int]]]:
    """Random hashes; 1 % of them are copies of another with 1..threshold bits flipped."""
    values = rng.integers(0, 2**64, size=count, dtype=np.uint64)
    pairs = set()
    copies = rng.permutation(count)[: 2 * (count // 100)].reshape(-1, 2)
    for source, copy in copies:
        flips = rng.choice(64, size=int(rng.integers(1, threshold + 1)), replace=False)
        values[copy] = values[source] ^ np.uint64(sum(1 << int(f) for f in flips))
        pairs.add((int(min(source, copy)), int(max(source, copy))))
    return values, pairs


def synthetic_speed(sizes: list[int], threshold: int, workers: int) -> dict[int, tuple[np.ndarray, float]]:
    rng = np.random.default_rng(2024)
    results = {}
    for size in sizes:
        values, planted = planted_hashes(rng, size, threshold)
        plan = plan_search(size, threshold)
        started = time.perf_counter()
        pairs = near_pairs(values, threshold, workers=workers)
        elapsed = time.perf_counter() - started
        found = {(int(a), int(b)) for a, b, _ in pairs}
        recall = len(planted & found) / len(planted)
        print(f"{size:>9,} hashes, d <= {threshold}: {elapsed:6.2f} s  ({plan.blocks} blocks, {plan.tables} tables, "
              f"{len(pairs):,} pairs, planted recall {recall:.4f})")  # fmt: skip
        results[size] = (values, elapsed)
        second, _ = planted_hashes(rng, size, threshold)
        phashes, dhashes = uint64_to_hex(values), uint64_to_hex(second)
        started = time.perf_counter()
        find_candidate_pairs(phashes, dhashes, threshold)
        print(f"{'':>9}  candidate step on phash + dhash (incl. hex parsing): {time.perf_counter() - started:6.2f} s")
    return results


def naive_all_pairs(values: np.ndarray, threshold: int, rows: int = 64) -> set[tuple[int, int]]:
    """The textbook way: XOR every hash with every later one, popcount, compare."""
    found = set()
    for top in range(0, values.size, rows):
        band = values[top : top + rows]
        close = np.bitwise_count(band[:, None] ^ values[None, :]) <= threshold
        for r, c in zip(*np.nonzero(close), strict=True):
            if top + r < c:
                found.add((int(top + r), int(c)))
    return found


def baseline(size: int, threshold: int, synthetic: dict[int, tuple[np.ndarray, float]]) -> None:
    values, indexed = synthetic.get(size) or (planted_hashes(np.random.default_rng(7), size, threshold)[0], None)
    started = time.perf_counter()
    naive = naive_all_pairs(values, threshold)
    elapsed = time.perf_counter() - started
    index = {(int(a), int(b)) for a, b, _ in near_pairs(values, threshold)}
    same = "same pairs as the index" if naive == index else f"DIFFERENT pairs ({len(naive)} vs {len(index)})"
    print(f"naive numpy all-pairs on {size:,}: {elapsed:.2f} s ({same}); "
          f"at 1M it would take ~{elapsed * (1_000_000 / size) ** 2 / 60:.0f} min")  # fmt: skip
    if indexed:
        print(f"  the index is {elapsed / indexed:.0f}x faster at {size:,}")


def catalog_scan(count: int, threshold: int) -> None:
    """find_groups end to end over a catalog of ``count`` synthetic rows (1 % planted pairs,
    no files: their pixel checks fail fast, so this times everything but the pixels)."""
    from core.library import Library

    rng = np.random.default_rng(11)
    phashes, planted = planted_hashes(rng, count, threshold)
    dhashes = rng.integers(0, 2**64, size=count, dtype=np.uint64)
    p_hex, d_hex = uint64_to_hex(phashes), uint64_to_hex(dhashes)
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "library") as library:
        with library.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO photos (path, folder, size, mtime_ns, sha256, format, kind, phash, dhash, indexed_at) "
                "VALUES (?, '/x', 1, 1, ?, 'jpeg', 'photo', ?, ?, '')",
                ((f"/x/{i}.jpg", f"{i:064x}", p_hex[i], d_hex[i]) for i in range(count)),
            )
        started = time.perf_counter()
        find_groups(library, threshold)
        first = time.perf_counter() - started
        started = time.perf_counter()
        find_groups(library, threshold)
        again = time.perf_counter() - started
    print(f"find_groups over a {count:,}-photo catalog ({len(planted):,} planted candidate pairs, pixel checks "
          f"failing fast): {first:.1f} s, again with cached verdicts {again:.1f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--baseline", type=int, default=100_000, help="size for the naive all-pairs baseline")
    parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
    parser.add_argument("--workers", type=int, default=None, help="threads for the search (default: all cores)")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument(
        "--eval-seeds", type=int, nargs="*", default=[2], help="seeds of generated evaluation sets (none: skip)"
    )
    parser.add_argument("--eval-generated", type=int, default=120, help="generated sources per evaluation set")
    parser.add_argument("--eval-keep-exif", action="store_true", help="copies of camera photos keep their EXIF")
    parser.add_argument(
        "--library",
        type=int,
        default=0,
        metavar="N",
        help="also time indexing and `dupes --json` on a generated library of N photos (10%% copies)",
    )
    parser.add_argument(
        "--library-dir",
        type=Path,
        default=Path(__file__).parent / "out" / "dupes_library",
        help="where the generated library's photos are kept between runs",
    )
    parser.add_argument("--catalog", type=int, default=0, metavar="N", help="also time find_groups over N catalog rows")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cores} cores, load average {os.getloadavg()[0]:.1f} (other processes share this machine)")
    if not args.no_corpus and (CORPUS / "dup_groups.tsv").exists():
        corpus_accuracy(args.workers or cores or 1)
    if args.eval_seeds:
        eval_accuracy(
            args.eval_seeds, args.workers or cores or 1, generated_sources=args.eval_generated,
            copies_keep_exif=args.eval_keep_exif,
        )  # fmt: skip
    synthetic = synthetic_speed(args.sizes, args.threshold, args.workers or cores or 1)
    baseline(args.baseline, args.threshold, synthetic)
    if args.catalog:
        catalog_scan(args.catalog, args.threshold)
    if args.library:
        library_speed(
            args.library_dir / str(args.library), args.library, args.library // 10, args.workers or cores or 1
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
