"""``shoebox show PATH|ID``: everything the catalog knows about one photo."""

from __future__ import annotations

import argparse
import os

from core.annotations.combined import photos_as_json
from core.catalog.photos import get_photo, get_photo_by_path
from core.cli.output import display_text, error, write_json, write_table
from core.library import Library
from core.xmp.paths import sidecar_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("show", help="show one photo's catalog entry")
    parser.add_argument("photo", help="a path or a photo id")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, library: Library) -> int:
    photo = get_photo_by_path(library.db, os.path.abspath(args.photo))
    if photo is None and args.photo.isdigit() and len(args.photo) <= 18:  # a photo id SQLite can hold
        photo = get_photo(library.db, int(args.photo))
    if photo is None:
        error(f"{args.photo}: not in the catalog (is its folder added and indexed?)")
        return 1
    (data,) = photos_as_json(library.db, [photo])
    path, exists = sidecar_path(photo.fs_path)
    data["sidecar"] = path if exists else None
    if args.json:
        write_json(data)
    else:
        write_table(((key, _text(key, value)) for key, value in data.items()), ("FIELD", "VALUE"))
    return 0


#: Longest value shown (paths excepted): the whole of a hostile 30,000-character field is in --json.
MAX_VALUE_WIDTH = 200
_WHOLE = ("path", "sidecar")


def _text(key: str, value: object) -> str:
    if value is None or value == []:
        return "-"
    text = ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    return text if key in _WHOLE else display_text(text, MAX_VALUE_WIDTH)
