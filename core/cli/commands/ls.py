"""``shoebox ls [QUERY]``: list photos, as a table or as JSON."""

from __future__ import annotations

import argparse

from core.annotations.combined import photos_as_json
from core.catalog.photos import iter_photos
from core.cli.argtypes import integer
from core.cli.output import human_size, write_json_array, write_table
from core.cli.query_help import add_query_help, query_or_exit
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ls",
        help="list photos in timeline order",
        description="List the photos matching QUERY (every photo without one) in timeline order: oldest first, undated last.",
    )
    parser.add_argument("query", nargs="*", help="e.g. camera:nikon year:2008 (every filter is listed below)")
    parser.add_argument("--json", action="store_true", help="one JSON array of photo objects")
    parser.add_argument("--limit", type=integer(1, 10**9), default=None, help="show at most this many photos")
    parser.add_argument("--missing", action="store_true", help="include files no longer found on disk")
    add_query_help(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, library: Library) -> int:
    query = query_or_exit(" ".join(args.query))
    if isinstance(query, int):
        return query
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
