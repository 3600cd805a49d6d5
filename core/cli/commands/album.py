"""``shoebox album``: list albums, create them, add or remove photos."""

from __future__ import annotations

import argparse

from core.annotations.combined import photos_as_json
from core.catalog.photos import get_photo
from core.cli.output import error, write_json, write_table
from core.cli.selection import add_selection_arguments, change_selected
from core.collections import (
    CollectionError,
    add_to_album,
    album_photo_ids,
    create_album,
    get_album,
    list_albums,
    remove_from_album,
)  # fmt: skip
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    album = subparsers.add_parser("album", help="list albums, create them, add or remove photos")
    actions = album.add_subparsers(dest="album_action", metavar="ACTION")
    listing = actions.add_parser("ls", help="list albums (the default), or the photos of one")
    listing.add_argument("name", nargs="?", help="an album: list its photos")
    listing.add_argument("--json", action="store_true")
    actions.add_parser("create", help="create an album").add_argument("name")
    for verb, text in (("add", "add photos to an album (created if needed)"), ("rm", "take photos out of an album")):
        sub = actions.add_parser(verb, help=text)
        sub.add_argument("name")
        add_selection_arguments(sub)
    album.set_defaults(run=run_album, json=False, name=None)


def run_album(args: argparse.Namespace, library: Library) -> int:
    action = args.album_action or "ls"
    if action == "ls":
        return _list_albums(args, library)
    if action == "create":
        try:
            print(f"album {create_album(library.db, args.name).name!r}")
        except CollectionError as exc:
            error(str(exc))
            return 2
        return 0
    if action == "add":
        return change_selected(library, args, lambda ids: _add(library, args.name, ids))
    album = get_album(library.db, args.name)
    if album is None:
        error(f"no album called {args.name!r}")
        return 1
    return change_selected(
        library, args, lambda ids: f"removed {remove_from_album(library.db, album.id, ids)} photos from {album.name!r}"
    )


def _add(library: Library, name: str, ids: list[int]) -> str:
    album = create_album(library.db, name)
    return f"added {add_to_album(library.db, album.id, ids)} photos to {album.name!r}"


def _list_albums(args: argparse.Namespace, library: Library) -> int:
    if args.name is None:
        albums = list_albums(library.db)
        if args.json:
            write_json([a.to_json() for a in albums])
        else:
            write_table(
                ((str(a.count), a.created_at.replace("T", " "), a.name) for a in albums), ("PHOTOS", "CREATED", "ALBUM")
            )
        return 0
    album = get_album(library.db, args.name)
    if album is None:
        error(f"no album called {args.name!r}")
        return 1
    photos = [p for p in (get_photo(library.db, i) for i in album_photo_ids(library.db, album.id)) if p is not None]
    if args.json:
        write_json(list(photos_as_json(library.db, photos)))
    else:
        for photo in photos:
            print(photo.path)
    return 0
