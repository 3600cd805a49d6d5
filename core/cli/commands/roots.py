"""``shoebox roots``: the folders this library indexes."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from core.catalog.photos import count_by_root
from core.catalog.roots import list_roots
from core.cli.output import write_json, write_table
from core.cli.parsers import add_command
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    add_command(subparsers, "roots", "list the library's folders", run, json="")


def run(args: argparse.Namespace, library: Library) -> int:
    roots = list_roots(library.db)
    counts = count_by_root(library.db)
    if args.json:
        write_json([{**asdict(r), "photos": counts.get(r.id, 0)} for r in roots])
    else:
        rows = (
            (r.path, str(counts.get(r.id, 0)), r.last_indexed_at or "never", "yes" if r.reference else "")
            for r in roots
        )
        write_table(rows, ("ROOT", "PHOTOS", "INDEXED", "REFERENCE"))
    return 0
