"""``shoebox demo``: build a small library of generated photos and open it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.catalog.roots import add_root
from core.cli.argtypes import integer
from core.cli.frontend import open_frontend
from core.cli.progress import summary_line
from core.demo.library import curate_demo, make_demo_photos, make_demo_portraits, name_demo_people
from core.indexing.indexer import index_library
from core.library import Library, default_library_dir
from core.people.settings import set_auto_scan


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="build a demo library of generated photos and open it")
    parser.add_argument("--dir", type=Path, default=None, help="where to build it (default: beside your library)")
    parser.add_argument("--count", type=integer(1, 100_000), default=60, help="how many photos to generate")
    parser.add_argument("--no-open", action="store_true", help="only build and index, print a summary")
    parser.set_defaults(run=run, needs_library=False)


def run(args: argparse.Namespace, _library: Library | None) -> int:
    base = (args.dir or default_library_dir().with_name("shoebox-demo")).expanduser().absolute()
    photos_dir, library_dir = base / "photos", base / "library"
    if not photos_dir.exists():
        print(f"generating {args.count} demo photos in {photos_dir} …", file=sys.stderr)
        make_demo_photos(photos_dir, args.count)
        print("drawing the portraits of a few demo people …", file=sys.stderr)
        make_demo_portraits(photos_dir)
    with Library.open(library_dir) as library:
        add_root(library.db, str(photos_dir))
        set_auto_scan(library, True)  # the faces stage finds the portraits' people as they are indexed
        stats = index_library(library)
        curate_demo(library)
        named = name_demo_people(library)
    print(f"demo library: {library_dir}\n{summary_line(stats)}")
    if named:
        print(f"named {', '.join(named)} on one portrait each; the people pane (3) shows the rest")
    if args.no_open or not sys.stdout.isatty():
        print(f"open it with: shoebox --library {library_dir}")
        return 0
    return open_frontend(library_dir)
