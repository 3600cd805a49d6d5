"""``shoebox trash``: list, restore and purge the library's trash."""

from __future__ import annotations

import argparse

from core.cli.argtypes import age, integer
from core.cli.output import error, human_size, write_json, write_table
from core.library import Library
from core.trash import TrashError, list_trash, purge, restore_all


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("trash", help="list, restore or purge files moved to the library's trash")
    actions = parser.add_subparsers(dest="trash_action", metavar="ACTION")
    ls = actions.add_parser("ls", help="list trashed files (the default)")
    ls.add_argument("--json", action="store_true")
    put_back = actions.add_parser("restore", help="put files back where they were, byte-identical")
    put_back.add_argument(
        "ids", nargs="*", type=integer(1, 2**63 - 1), metavar="ID", help="trash ids (see `shoebox trash ls`)"
    )
    put_back.add_argument("--all", action="store_true", help="restore everything in the trash")
    put_back.add_argument("--json", action="store_true")
    remove = actions.add_parser("purge", help="delete for good the files trashed long enough ago")
    remove.add_argument("--older-than", type=age, default=None, metavar="AGE",
                        help="e.g. 30d, 12h, 2w, 0 for everything (default: config [trash] retention_days, 30)")  # fmt: skip
    remove.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, json=False)


def run(args: argparse.Namespace, library: Library) -> int:
    action = args.trash_action or "ls"
    try:
        if action == "ls":
            return _ls(args, library)
        if action == "restore":
            return _restore(args, library)
        return _purge(args, library)
    except TrashError as exc:
        error(str(exc))
        return 1


def _ls(args: argparse.Namespace, library: Library) -> int:
    entries = list_trash(library)
    if args.json:
        write_json([e.to_json() for e in entries])
        return 0
    if not entries:
        print("the trash is empty")
        return 0
    write_table(((str(e.id), e.trashed_at.replace("T", " "), human_size(e.size), e.original_path) for e in entries),
                ("ID", "TRASHED", "SIZE", "ORIGINAL PATH"))  # fmt: skip
    return 0


def _restore(args: argparse.Namespace, library: Library) -> int:
    if not args.ids and not args.all:
        error("say which files to restore: trash ids, or --all")
        return 2
    restored, failed = restore_all(library, None if args.all else args.ids)
    if args.json:
        write_json({
            "restored": [{"id": r.entry_id, "path": r.path, "photo_id": r.photo_id, "renamed": r.renamed} for r in restored],
            "failed": [{"id": i, "reason": reason} for i, reason in failed],
        })  # fmt: skip
    else:
        for r in restored:
            print(f"restored {r.path}" + ("  (its old name was taken)" if r.renamed else ""))
    for entry_id, reason in failed:
        error(f"trash id {entry_id}: {reason}")
    return 1 if failed else 0


def _purge(args: argparse.Namespace, library: Library) -> int:
    result = purge(library, args.older_than)
    if args.json:
        write_json({"purged": result.purged, "freed": result.freed,
                    "failed": [{"id": i, "reason": r} for i, r in result.failed or []]})  # fmt: skip
    else:
        print(f"purged {result.purged} files ({human_size(result.freed)})")
    for entry_id, reason in result.failed or []:
        error(f"trash id {entry_id}: {reason}")
    return 1 if result.failed else 0
