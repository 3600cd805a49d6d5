"""``shoebox problems``: files that could not be read, and why."""

from __future__ import annotations

import argparse

from core.catalog.photos import list_problems
from core.cli.output import write_json, write_table
from core.cli.parsers import add_command
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    add_command(subparsers, "problems", "files that could not be read, and why", run, json="")


def run(args: argparse.Namespace, library: Library) -> int:
    problems = list_problems(library.db)
    if args.json:
        write_json([p.to_json() for p in problems])
    elif problems:
        write_table(((p.path, p.reason) for p in problems), ("PATH", "REASON"))
    else:
        print("no problems: every file was read")
    return 0
