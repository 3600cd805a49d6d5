"""What reading annotations costs in listings and the manifest, and how many queries it takes.

    python bench/annotations_bench.py [--count 100000]

Uses catalog_bench's catalog (``count`` photo rows, albums and tags on a tenth, ratings on a
tenth; cached in bench/out/catalog_<count>/) and prints: ``ls --json``'s row stream
(``photos_as_json`` over every photo), the manifest's bulk labels read, and the SQL
statements each runs per 1,000 photos (traced on the connection: batched reads stay a
handful per batch, never one per photo). Runs against the code on PYTHONPATH, so the same
script measures a checkout without ``core.annotations`` (it falls back to the older names).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalog_bench import build, timed  # noqa: E402


def readers():  # noqa: ANN201
    """(photos_as_json, bulk labels read) of this checkout."""
    try:
        from core.annotations.combined import labels_of, photos_as_json
    except ImportError:  # before core/annotations
        from core.cloud.labels import labels_by_photo as labels_of
        from core.collections.annotations import photos_as_json
    return photos_as_json, labels_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from core.catalog.photos import iter_photos
    from core.library import Library

    photos_as_json, labels_of = readers()
    library_dir = build(ROOT / "bench" / "out" / f"catalog_{args.count}", args.count)
    with Library.open(library_dir, create=False) as library:
        db = library.db
        photos = list(iter_photos(db, include_missing=True))
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        rows = list(photos_as_json(db, photos))
        db.conn.set_trace_callback(None)
        figures = {
            "photos": len(photos),
            "ls_json_rows_s": timed(lambda: list(photos_as_json(db, photos)), repeat=3),
            "ls_json_statements_per_1000": round(len(statements) * 1000 / max(1, len(photos)), 2),
            "manifest_labels_s": timed(lambda: labels_of(db), repeat=3),
            "keys": sorted(rows[0]) if rows else [],
        }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for name, value in figures.items():
        print(f"{name:32} {value:.3f}" if isinstance(value, float) else f"{name:32} {value}")


if __name__ == "__main__":
    main()
