"""``shoebox mark PATH… --rating N --favourite --caption TEXT``: what the photo view's keys do, for scripts."""

from __future__ import annotations

import argparse

from core.catalog.photos import get_photo
from core.cli.argtypes import integer
from core.cli.output import write_json
from core.cli.selection import add_selection_arguments, apply_to_selected
from core.collections import set_caption, set_favourite, set_rating
from core.collections.annotations import annotations_of
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("mark", help="rate photos, mark favourites, set a caption",
                                   description="Set a rating (0 clears it), the favourite flag or a caption "
                                               "on catalogued photos; prints what they carry now.")  # fmt: skip
    add_selection_arguments(parser)
    parser.add_argument("--rating", type=integer(0, 5), metavar="0-5", help="stars; 0 clears the rating")
    favourite = parser.add_mutually_exclusive_group()
    favourite.add_argument("--favourite", "--favorite", dest="favourite", action="store_const", const=True)
    favourite.add_argument("--no-favourite", "--no-favorite", dest="favourite", action="store_const", const=False)
    parser.add_argument("--caption", default=None, help="a caption ('' clears it)")
    parser.add_argument("--json", action="store_true", help="print each photo's annotations as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, library: Library) -> int:
    ids = apply_to_selected(library, args, lambda ids: _mark(library, args, ids))
    if isinstance(ids, int):
        return ids
    notes = annotations_of(library.db, ids)
    paths = {photo_id: get_photo(library.db, photo_id).path for photo_id in ids}  # type: ignore[union-attr]
    if args.json:
        write_json([{"path": paths[photo_id], **notes[photo_id].to_json()} for photo_id in ids])
    else:
        for photo_id in ids:
            path, note = paths[photo_id], notes[photo_id]
            stars = f"{note.rating}★" if note.rating else "unrated"
            print(
                f"{path}: {stars}{', favourite' if note.favourite else ''}{f', “{note.caption}”' if note.caption else ''}"
            )
    return 0


def _mark(library: Library, args: argparse.Namespace, ids: list[int]) -> None:
    """Set the rating, favourite flag and caption the arguments ask for."""
    if args.rating is not None:
        set_rating(library.db, ids, args.rating or None)
    if args.favourite is not None:
        set_favourite(library.db, ids, args.favourite)
    if args.caption is not None:
        set_caption(library.db, ids, args.caption)
