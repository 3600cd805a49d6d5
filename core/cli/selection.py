"""Which photos a command acts on: paths, a query (``--query``), or both."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from core.catalog.photos import get_photo_by_path, iter_photos
from core.catalog.query import QueryError, parse_query
from core.catalog.roots import normalise_root
from core.cli.output import error
from core.cli.query_help import BAD_QUERY, add_query_help
from core.cli.sidecars import warn_sidecars
from core.collections import CollectionError
from core.library import Library
from core.xmp import sync_after_change


class SelectionError(Exception):
    """The selection cannot be made; ``code`` is the exit status (1 not catalogued, 2 bad query)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_selection_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH...`` and/or ``--query QUERY`` (the search language of ``ls``)."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="catalogued photos")
    parser.add_argument("--query", "-q", default=None, metavar="QUERY",
                        help="and every photo matching this search, e.g. 'year:2019 camera:nikon' (see below)")  # fmt: skip
    add_query_help(parser)


def selected_ids(library: Library, args: argparse.Namespace) -> list[int]:
    """Photo ids of the paths given, then of the query's matches (each once, in that order)."""
    if not args.paths and args.query is None:
        raise SelectionError("give photos: one or more PATHs, or --query QUERY", 2)
    ids: list[int] = []
    for path in args.paths:
        photo = get_photo_by_path(library.db, normalise_root(path))
        if photo is None:
            raise SelectionError(f"{path}: not in the library (add its folder first)", 1)
        ids.append(photo.id)
    if args.query is not None:
        try:
            query = parse_query(args.query)
        except QueryError as exc:
            raise SelectionError(str(exc), BAD_QUERY) from exc
        ids.extend(photo.id for photo in iter_photos(library.db, query))
    return list(dict.fromkeys(ids))


def photo_ids_or_exit(library: Library, args: argparse.Namespace) -> list[int] | int:
    """:func:`selected_ids`, or the exit status after saying what is wrong."""
    try:
        return selected_ids(library, args)
    except SelectionError as exc:
        error(str(exc))
        return exc.code


def change_selected(library: Library, args: argparse.Namespace, change: Callable[[list[int]], str | None]) -> int:
    """:func:`apply_to_selected`, as an exit status."""
    done = apply_to_selected(library, args, change)
    return done if isinstance(done, int) else 0


def apply_to_selected(
    library: Library, args: argparse.Namespace, change: Callable[[list[int]], str | None]
) -> list[int] | int:
    """Apply ``change`` to the selected photos, print what it says, bring their sidecars up to date.

    Returns the photos changed, or the exit status: the selection's when it cannot be made, 2 when
    the collections refuse the change.
    """
    ids = photo_ids_or_exit(library, args)
    if isinstance(ids, int):
        return ids
    try:
        said = change(ids)
    except CollectionError as exc:
        error(str(exc))
        return 2
    if said:
        print(said)
    warn_sidecars(sync_after_change(library, ids))
    return ids
