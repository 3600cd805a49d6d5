"""What the catalog's health checks and snapshots cost on a big catalog, next to opening it.

    python bench/catalog_bench.py [--count 1000000]

Builds (once, cached in bench/out/catalog_<count>/) a catalog of ``count`` photo rows (no
files: only the catalog matters here), with albums and tags on a tenth of them. Then prints,
each with its ratio to the baseline "open + first timeline page" (what every command pays):
  * the cheap check a write makes for a due snapshot (one directory listing),
  * quick_check (after every `index`, and when an error is met),
  * integrity_check (`shoebox catalog check`),
  * a snapshot (the day's first write), and its size,
  * a repair of a catalog with one garbled page of the photos table (salvage + fill).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(base: Path, count: int) -> Path:
    from core.catalog.photos import store_media
    from core.catalog.roots import add_root
    from core.library import Library
    from core.media.records import MediaInfo

    library_dir = base / "library"
    if (base / "built").exists():
        return library_dir
    shutil.rmtree(base, ignore_errors=True)
    started = time.perf_counter()
    rng = random.Random(7)
    with Library.open(library_dir) as library:
        root = add_root(library.db, "/photos")
        for chunk in range(0, count, 20_000):
            infos = [
                MediaInfo(
                    path=f"/photos/{i // 500:05d}/IMG_{i:07d}.jpg",
                    size=3_000_000 + i,
                    mtime_ns=i,
                    sha256=f"{i:064x}",
                    format="jpeg",
                    kind="photo",
                    width=4000,
                    height=3000,
                    taken_at=f"20{rng.randrange(5, 25):02d}-0{rng.randrange(1, 10)}-1{rng.randrange(10)}T12:00:00",
                    make="NIKON",
                    model="D70",
                )  # fmt: skip
                for i in range(chunk, min(count, chunk + 20_000))
            ]
            store_media(library.db, root.id, infos)
        with library.db.transaction() as conn:
            conn.executemany("INSERT INTO albums (id, name, created_at) VALUES (?, ?, '2020-01-01')",
                             [(a, f"album {a}") for a in range(1, 101)])  # fmt: skip
            conn.executemany("INSERT INTO album_photos (album_id, photo_id, added_at) VALUES (?, ?, '2020-01-01')",
                             [(1 + i % 100, i) for i in range(1, count + 1, 10)])  # fmt: skip
            conn.execute("INSERT INTO tags (id, name) VALUES (1, 'family')")
            conn.executemany(
                "INSERT INTO photo_tags (photo_id, tag_id) VALUES (?, 1)", [(i,) for i in range(5, count + 1, 10)]
            )
            conn.executemany("UPDATE photos SET rating = 4 WHERE id = ?", [(i,) for i in range(3, count + 1, 10)])
    (base / "built").write_text(str(count))
    print(f"built {count:,} photos in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return library_dir


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from core.catalog import health, snapshots
    from core.catalog.query import parse_query
    from core.catalog.repair import repair_catalog
    from core.catalog.timeline import photos_at, timeline_index
    from core.library import Library

    base = ROOT / "bench" / "out" / f"catalog_{args.count}"
    library_dir = build(base, args.count)
    db_path = library_dir / "catalog.db"

    def open_and_first_page() -> None:
        with Library.open(library_dir, create=False) as library:
            index = timeline_index(library.db, parse_query(""))
            photos_at(library.db, index, 0, 200)

    baseline = timed(open_and_first_page, repeat=3)
    figures = {"photos": args.count, "catalog_mb": db_path.stat().st_size / 1e6, "open_first_page_s": baseline}
    figures["snapshot_due_check_s"] = timed(lambda: snapshots.due(db_path), repeat=20)
    figures["quick_check_s"] = timed(lambda: health.check(db_path))
    figures["integrity_check_s"] = timed(lambda: health.check(db_path, full=True))

    scratch = base / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(library_dir, scratch / "library")
    scratch_db = scratch / "library" / "catalog.db"
    conn = sqlite3.connect(scratch_db)
    started = time.perf_counter()
    snapshot = snapshots.take_snapshot(conn, scratch_db)
    figures["snapshot_s"] = time.perf_counter() - started
    figures["snapshot_mb"] = snapshot.size / 1e6
    leaves = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'photos' AND pagetype = 'leaf' "
                                         "ORDER BY pageno LIMIT 1 OFFSET 1000")]  # fmt: skip
    conn.close()
    with open(scratch_db, "r+b") as handle:
        handle.seek((leaves[0] - 1) * 4096)
        handle.write(random.Random(1).randbytes(4096))
    started = time.perf_counter()
    report = repair_catalog(scratch_db)
    figures["repair_s"] = time.perf_counter() - started
    figures["repair_from_snapshot_rows"] = report.from_snapshot
    shutil.rmtree(scratch, ignore_errors=True)

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.count:,} photos, catalog {figures['catalog_mb']:.0f} MB")
    print(f"  baseline: open + first timeline page   {baseline * 1000:8.1f} ms")
    for key, label in (("snapshot_due_check_s", "is a snapshot due (every write run)"),
                       ("quick_check_s", "quick_check (after index / on an error)"),
                       ("integrity_check_s", "integrity_check (catalog check)"),
                       ("snapshot_s", "snapshot (first write of a day)"),
                       ("repair_s", "repair, one garbled photos page")):  # fmt: skip
        print(f"  {label:38s} {figures[key] * 1000:8.1f} ms  ({figures[key] / baseline:6.2f}× baseline)")
    print(
        f"  snapshot size {figures['snapshot_mb']:.0f} MB; repair took {figures['repair_from_snapshot_rows']} rows "
        "from the snapshot"
    )


if __name__ == "__main__":
    main()
