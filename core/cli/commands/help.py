"""``shoebox help [query|COMMAND]``: the search language, or one command's help."""

from __future__ import annotations

import argparse

from core.catalog.query import describe_query_language
from core.cli.output import error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("help", help="`help query`: the search language and every filter; `help COMMAND`")
    parser.add_argument("topic", nargs="?", metavar="query|COMMAND", help="what to explain (default: every command)")
    parser.set_defaults(run=run, needs_library=False)


def run(args: argparse.Namespace, library: None) -> int:
    from core.cli.main import build_parser

    parser = build_parser()
    if args.topic is None:
        parser.print_help()
        return 0
    if args.topic == "query":
        print(describe_query_language())
        return 0
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if args.topic not in commands.choices:
        error(f"no help on '{args.topic}': try `shoebox help query` or one of {', '.join(commands.choices)}")
        return 2
    commands.choices[args.topic].print_help()
    return 0
