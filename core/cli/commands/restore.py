"""``shoebox restore QUERY|--all [--to DIR]``: byte-identical originals back from the bucket."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.cloud_support import cloud_errors, counter_progress, describe_rate
from core.cli.output import error, human_size, write_json
from core.cli.parsers import add_command
from core.cli.query_help import add_query_words, query_or_exit
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "restore", "download originals back to their paths (or --to DIR); never overwrites a different file",
        run, json="",
    )  # fmt: skip
    add_query_words(parser, "photos to restore, e.g. year:2008 or folder:trip")
    parser.add_argument("--all", action="store_true", help="every catalogued photo")
    parser.add_argument("--to", metavar="DIR", help="restore below DIR (one folder per root) instead of in place")


def run(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.restore import restore_photos
    from core.cloud.target import require_target

    if not args.query and not args.all:
        error("say what to restore: a query (e.g. `shoebox restore year:2008`) or --all")
        return 2
    if isinstance(code := query_or_exit(" ".join(args.query)), int):
        return code
    with cloud_errors():
        target = require_target(library.directory)
        to = Path(args.to).expanduser().absolute() if args.to else None
        with counter_progress("Restoring", enabled=not args.json) as progress:
            stats = restore_photos(library, target, query=" ".join(args.query), to=to, progress=progress)
        if args.json:
            write_json(stats.to_json())
        else:
            for path in stats.conflicts[:20]:
                error(f"left alone, a different file is there: {path} (use --to DIR)")
            for line in stats.failed[:20]:
                error(line)
            for path in stats.not_backed_up[:20]:
                error(f"not in the bucket: {path}")
            if stats.partials_removed:
                print(f"removed {stats.partials_removed} half-downloaded files a stopped restore had left")
            print(f"restored {stats.restored} of {stats.photos} photos ({human_size(stats.bytes)}, "
                  f"{describe_rate(stats.bytes, stats.elapsed)}), {stats.identical} already in place, "
                  f"{len(stats.conflicts)} conflicts, {len(stats.not_backed_up)} not backed up, {len(stats.failed)} failed")  # fmt: skip
        return 0 if not (stats.conflicts or stats.failed or stats.not_backed_up) else 1
    return 1
