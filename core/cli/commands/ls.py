"""``shoebox ls [QUERY]``: list photos, as a table or as JSON."""

from __future__ import annotations

import argparse

from core.catalog.photos import iter_photos
from core.catalog.query import QueryError, parse_query
from core.cli.output import error, human_size, write_json_array, write_table
from core.collections.annotations import photos_as_json
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ls",
        help="list photos in timeline order",
        description="Filters: camera: make: model: lens: path: folder: year: date: format: kind: "
        "source: gps:yes|no problem:yes|no sha: album: tag: rating: favourite:yes|no caption: ; "
        "bare words match the path; -term negates.",
    )
    parser.add_argument("query", nargs="*", help="e.g. camera:nikon year:2008")
    parser.add_argument("--json", action="store_true", help="one JSON array of photo objects")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--missing", action="store_true", help="include files no longer found on disk")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, library: Library) -> int:
    try:
        query = parse_query(" ".join(args.query))
    except QueryError as exc:
        error(str(exc))
        return 2
    photos = iter_photos(library.db, query, limit=args.limit, include_missing=args.missing)
    if args.json:
        write_json_array(photos_as_json(library.db, photos))
        return 0
    rows = (
        (
            (p.taken_at or "-").replace("T", " "),
            p.camera or "-",
            f"{p.width}×{p.height}" if p.width else "-",
            human_size(p.size),
            p.path,
        )
        for p in photos
    )
    write_table(rows, ("TAKEN", "CAMERA", "PIXELS", "SIZE", "PATH"))
    return 0
