"""``shoebox index [ROOT...]``: read new and changed files of the library's roots, then run
the post-store stages; ``--only STAGE`` runs one stage alone over the photos it has not done."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core.catalog.health import diagnose
from core.cli.argtypes import integer
from core.cli.output import error, write_json
from core.cli.progress import index_progress, stages_summary_line, summary_line
from core.cli.stopping import cancel_on_sigterm
from core.indexing.indexer import index_library
from core.indexing.registry import STAGES, get_stage, stage_names
from core.indexing.stage_runner import run_only
from core.indexing.stages import IndexStage
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="re-index the roots: only new and changed files are read",
        epilog="stages run after new photos are stored:\n" + "\n".join(f"  {s.name:<10} {s.help}" for s in STAGES),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("roots", nargs="*", help="only these roots (default: all)")
    parser.add_argument("--only", metavar="STAGE", type=stage_argument,
                        help=f"run only this stage over the photos it has not done ({', '.join(stage_names())})")  # fmt: skip
    add_index_options(parser)
    parser.set_defaults(run=run)


def stage_argument(text: str) -> IndexStage:
    """A registered stage's name (an unknown one lists the known stages)."""
    try:
        return get_stage(text.strip())
    except KeyError as exc:
        raise argparse.ArgumentTypeError(exc.args[0]) from exc


stage_argument.__name__ = "stage"  # argparse names the type in its messages


def add_index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers", type=integer(1, 256), default=None, help="processes that decode (default: all cores)"
    )
    parser.add_argument("--json", action="store_true", help="print the run's figures as JSON")


def run(args: argparse.Namespace, library: Library) -> int:
    from core.catalog.roots import list_roots

    if not list_roots(library.db):
        error("this library has no folders yet: add one with `shoebox add PATH`")
        return 1
    if args.only is not None:
        if args.roots:
            error("--only runs a stage over the whole library: leave out the roots")
            return 2
        return run_index(args, library, None, only=args.only)
    return run_index(args, library, args.roots or None)


def run_index(
    args: argparse.Namespace, library: Library, roots: Sequence[str] | None, only: IndexStage | None = None
) -> int:
    """Index (or run the stage ``only``) with a progress bar on a terminal; Ctrl-C / SIGTERM
    stop cleanly (resumable)."""
    with cancel_on_sigterm() as cancel, index_progress(enabled=not args.json) as progress:
        try:
            if only is not None:
                stats = run_only(library, only, progress=progress, cancel=cancel)
            else:
                stats = index_library(library, roots, workers=args.workers, progress=progress, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            error("interrupted; what was read is saved — run `shoebox index` to finish")
            return 130
    damage = diagnose(library.db.path)  # an unchanged library never reads a garbled index page
    if damage is not None:
        error(damage)
        return 1
    if args.json:
        write_json(stats.to_json())
    elif only is not None:
        print(stages_summary_line(stats), file=sys.stdout)
    else:
        print(summary_line(stats), file=sys.stdout)
        if stats.problems:
            print("see `shoebox problems` for the files that could not be read", file=sys.stdout)
    return 0
