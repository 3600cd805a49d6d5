"""What the query language costs on a big catalog: instr() against the LIKE it replaced, and the compile check.

    python bench/query_bench.py [--photos 200000]

Fills a throwaway catalog with --photos rows (paths, cameras, dates), then in one run times:
  * a bare-word search as Shoebox compiles it (``LIKE '%word%'``) against ``instr(lower(path), lower(?))``,
    the fallback for words too long for a LIKE pattern (measured 1.5x slower, hence LIKE first),
  * ``parse_query`` of a typical query with its SQLite compile check against the same without (the
    check runs the condition on an empty in-memory catalog), in microseconds,
  * a 5,000-term query (the most allowed): parse + check; a 2,000-term AND and a 500-term OR counted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog.photos import count_photos, store_media  # noqa: E402
from core.catalog.query import MAX_TERMS, parse_query  # noqa: E402
from core.catalog.query import sql as query_sql  # noqa: E402
from core.library import Library  # noqa: E402
from core.media.records import MediaInfo  # noqa: E402

CAMERAS = [("NIKON", "COOLPIX P6000"), ("Canon", "Canon EOS 40D"), ("Apple", "iPhone 12"), (None, None)]


def _fill(library: Library, count: int) -> None:
    batch: list[MediaInfo] = []
    for n in range(count):
        make, model = CAMERAS[n % len(CAMERAS)]
        batch.append(MediaInfo(path=f"/photos/{2000 + n % 25}/trip{n % 997}/IMG_{n:07d}.jpg", size=1, mtime_ns=1,
                               sha256=f"{n:064x}", format="jpeg", kind="photo", make=make, model=model,
                               taken_at=f"{2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}T12:00:00"))  # fmt: skip
        if len(batch) == 5000:
            store_media(library.db, None, batch)
            batch = []
    if batch:
        store_media(library.db, None, batch)


def _best(run, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _scan(library: Library, where: str, params: tuple[object, ...]) -> float:
    return _best(lambda: library.db.scalar(f"SELECT count(*) FROM photos WHERE {where}", params))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "library")
        _fill(library, args.photos)
        print(f"{args.photos:,} photos")
        word = parse_query("trip42")
        instr = _scan(library, "instr(lower(path), lower(?)) > 0", ("trip42",))
        used = _scan(library, word.sql, word.params)
        print(
            f"bare word   as compiled {used * 1000:7.1f} ms   instr(lower()) {instr * 1000:7.1f} ms   "
            f"ratio {used / instr:.2f}   ({'LIKE' if 'LIKE' in word.sql else 'instr'})"
        )
        long_word = parse_query("trip" * 5_000)  # 20,000 characters with escapes: the instr fallback
        print(f"20,000-char word (instr)  {_scan(library, long_word.sql, long_word.params) * 1000:7.1f} ms")
        typical = "tag:family year:2019 -(camera:nikon OR rating:..2) trip"
        checked = _best(lambda: parse_query(typical), 200)
        check = query_sql._check_with_sqlite
        query_sql._check_with_sqlite = lambda clause: None  # type: ignore[assignment]
        unchecked = _best(lambda: parse_query(typical), 200)
        query_sql._check_with_sqlite = check  # type: ignore[assignment]
        print(
            f"parse       with check {checked * 1e6:6.0f} µs   without {unchecked * 1e6:6.0f} µs   "
            f"ratio {checked / unchecked:.2f}"
        )
        huge = " OR ".join(f"camera:none{n}" for n in range(MAX_TERMS))
        print(f"{MAX_TERMS:,}-term OR  parse+check {_best(lambda: parse_query(huge), 1):.2f} s")
        many_and = " ".join(f"trip{n}" for n in range(2_000))
        print(f"2,000-term AND count {_best(lambda: count_photos(library.db, many_and), 1):.2f} s")
        many_or = " OR ".join(f"none{n}" for n in range(500))
        print(f"500-term OR count   {_best(lambda: count_photos(library.db, many_or), 1):.2f} s")
        library.close()


if __name__ == "__main__":
    main()
