"""``shoebox``: the command-line entry point."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence

from core import __version__
from core.catalog.db import CatalogError
from core.cli.argtypes import ShoeboxParser
from core.cli.commands import COMMANDS
from core.cli.frontend import open_frontend
from core.cli.output import error
from core.library import Library, library_directory


def build_parser() -> argparse.ArgumentParser:
    parser = ShoeboxParser(
        prog="shoebox",
        description="A photo library you run in a terminal. With no command, opens the app.",
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        default=None,
        help="the library directory (default: $SHOEBOX_LIBRARY, else your user data directory)",
    )
    parser.add_argument("--version", action="version", version=f"shoebox {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a bad argument (one line said, status 2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        if args.command is None:
            library = Library.open(args.library)
            library.close()
            return open_frontend(library.directory)
        if not getattr(args, "needs_library", True):
            return args.run(args, None)
        with Library.open(args.library, create=getattr(args, "creates_library", False)) as library:
            return args.run(args, library)
    except CatalogError as exc:
        error(str(exc))
        return 1
    except sqlite3.DatabaseError as exc:  # a garbled page met while reading: a message, never a traceback
        return _catalog_failed(args, exc)
    except BrokenPipeError:  # `shoebox ls | head`
        sys.stderr.close()
        return 0
    except OSError as exc:
        error(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
        return 1


def _catalog_failed(args: argparse.Namespace, exc: sqlite3.DatabaseError) -> int:
    from core.catalog.health import diagnose

    db_path = library_directory(args.library) / "catalog.db"
    error(diagnose(db_path, exc) or f"the catalog {db_path} could not be read: {exc}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
