"""``shoebox add PATH...``: register folders and index them."""

from __future__ import annotations

import argparse
import os

from core.catalog.roots import RootError, add_root, check_root, normalise_root
from core.cli.commands.index import add_index_options, run_index
from core.cli.output import error
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("add", help="add folders to the library and index them (photos stay in place)")
    parser.add_argument("paths", nargs="+", help="folders to add")
    parser.add_argument("--reference", action="store_true", help="mark as reference: never trash from here")
    parser.add_argument("--no-index", action="store_true", help="only register the folders")
    add_index_options(parser)
    parser.set_defaults(run=run, creates_library=True)


def run(args: argparse.Namespace, library: Library) -> int:
    roots = []
    for path in args.paths:
        if not os.path.isdir(path):
            error(f"{path}: not a folder")
            return 1
        if os.path.commonpath([os.path.abspath(path), library.directory]) == str(library.directory):
            error(f"{path}: inside the library's own directory")
            return 1
        try:
            overlaps = check_root(library.db, path)
            roots.append(add_root(library.db, path, reference=args.reference).path)
        except RootError as exc:
            error(str(exc))
            return 1
        for overlap in overlaps:
            error(f"note: {overlap.note(normalise_root(path))}")
            roots.append(overlap.root.path)  # walked again, so each photo ends up under one root
    if args.no_index:
        return 0
    return run_index(args, library, list(dict.fromkeys(roots)))
