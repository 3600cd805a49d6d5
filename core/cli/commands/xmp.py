"""``shoebox xmp write|read``: share ratings, tags, captions and albums with other tools
through XMP sidecars (``NAME.EXT.xmp`` beside each photo; originals are never written)."""

from __future__ import annotations

import argparse

from core.cli.cloud_support import counter_progress
from core.cli.output import error, show_setting, write_json
from core.cli.selection import add_selection_arguments, photo_ids_or_exit
from core.library import Library
from core.xmp import MODES, SidecarResult, auto_mode, read_sidecars, set_auto_mode, summary, write_sidecars


def register(subparsers: argparse._SubParsersAction) -> None:
    xmp = subparsers.add_parser(
        "xmp", help="write marks to XMP sidecars, or read other tools' sidecars",
        description="XMP sidecars are how digiKam, Lightroom, darktable and Immich keep ratings, keywords and "
                    "captions beside a photo. 'write' puts Shoebox's rating, tags, caption, favourite, albums and "
                    "named faces (MWG face regions) there (a sidecar changed by another tool is read first, so "
                    "nothing in it is lost); 'read' takes theirs into the catalog.")  # fmt: skip
    actions = xmp.add_subparsers(dest="xmp_action", metavar="ACTION", required=True)
    for verb, text in (("write", "write the catalog's marks into the photos' sidecars"),
                       ("read", "read the photos' sidecars into the catalog")):  # fmt: skip
        sub = actions.add_parser(verb, help=text)
        add_selection_arguments(sub)
        sub.add_argument("--all", action="store_true", help="every photo in the library")
        sub.add_argument("--json", action="store_true", help="one JSON object per photo")
        sub.set_defaults(run=run)
    auto = actions.add_parser("auto", help="keep sidecars in step whenever marks change: off, existing or always",
                              description="off: only 'shoebox xmp write' writes sidecars (the default). existing: "
                                          "sidecars that exist are rewritten when a photo's marks change (in the app, "
                                          "the CLI or a duplicate merge). always: and one is created where there "
                                          "is none.")  # fmt: skip
    auto.add_argument("mode", nargs="?", choices=MODES, help="leave out to print the current mode")
    auto.add_argument("--json", action="store_true")
    auto.set_defaults(run=run_auto)


def run_auto(args: argparse.Namespace, library: Library) -> int:
    if args.mode is not None:
        set_auto_mode(library, args.mode)
    mode = auto_mode(library)
    return show_setting(args.json, "mode", mode, f"sidecars are kept in step: {mode}")


def run(args: argparse.Namespace, library: Library) -> int:
    if args.all:
        args.query = ""
    ids = photo_ids_or_exit(library, args)
    if isinstance(ids, int):
        return ids
    sync = write_sidecars if args.xmp_action == "write" else read_sidecars
    with counter_progress("Writing sidecars" if args.xmp_action == "write" else "Reading sidecars",
                          enabled=not args.json) as progress:  # fmt: skip
        results = sync(library, ids, progress=progress)
    if args.json:
        write_json([r.to_json() for r in results])
    else:
        _print(results)
    return 1 if any(r.action == "failed" for r in results) else 0


def _print(results: list[SidecarResult]) -> None:
    for result in results:
        if result.action == "failed":
            error(f"{result.sidecar or result.path}: {result.reason}")
        elif result.action in ("created", "written") or result.catalog_changes:
            into = f" (catalog took {', '.join(result.catalog_changes)} from it)" if result.catalog_changes else ""
            what = f": {', '.join(result.sidecar_changes)}" if result.sidecar_changes else ""
            print(f"{result.action} {result.sidecar}{what}{into}")
    print(summary(results))
