"""``shoebox tag``: list tags, tag or untag photos."""

from __future__ import annotations

import argparse

from core.cli.output import write_json, write_table
from core.cli.selection import add_selection_arguments, change_selected
from core.collections import list_tags, tag_photos, untag_photos
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    tag = subparsers.add_parser("tag", help="list tags, tag or untag photos")
    tag_actions = tag.add_subparsers(dest="tag_action", metavar="ACTION")
    tag_actions.add_parser("ls", help="list tags (the default)").add_argument("--json", action="store_true")
    for verb, text in (("add", "tag photos"), ("rm", "untag photos")):
        sub = tag_actions.add_parser(verb, help=text)
        sub.add_argument("name")
        add_selection_arguments(sub)
    tag.set_defaults(run=run_tag, json=False)


def run_tag(args: argparse.Namespace, library: Library) -> int:
    action = args.tag_action or "ls"
    if action == "ls":
        tags = list_tags(library.db)
        if args.json:
            write_json([t.to_json() for t in tags])
        else:
            write_table(((str(t.count), t.name) for t in tags), ("PHOTOS", "TAG"))
        return 0
    if action == "add":
        return change_selected(
            library, args, lambda ids: f"tagged {tag_photos(library.db, ids, [args.name])} photos {args.name!r}"
        )
    return change_selected(library, args, lambda ids: f"untagged {untag_photos(library.db, ids, [args.name])} photos")
