"""The parts every command's parser shares: its sub-parser, ``--json``, what it runs."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from core.library import Library

Run = Callable[[argparse.Namespace, Library], int]


def add_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    help: str,
    run: Run,
    *,
    description: str | None = None,
    json: str | None = None,
) -> argparse.ArgumentParser:
    """A command's parser: ``help`` in the command list, ``description`` kept as written, ``--json`` if given."""
    extra: dict[str, object] = {}
    if description is not None:
        extra = {"description": description, "formatter_class": argparse.RawDescriptionHelpFormatter}
    parser = subparsers.add_parser(name, help=help, **extra)  # type: ignore[arg-type]
    if json is not None:
        add_json(parser, json)
    parser.set_defaults(run=run)
    return parser


def add_json(parser: argparse.ArgumentParser, help: str = "") -> None:
    """``--json``: print the result as JSON instead of text."""
    parser.add_argument("--json", action="store_true", help=help or None)
