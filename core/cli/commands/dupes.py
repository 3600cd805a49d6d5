"""``shoebox dupes``: list duplicate groups; resolve them with the suggested keeper; undo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from core.cli.argtypes import integer
from core.cli.output import error, human_size, write_json
from core.cli.sidecars import warn_sidecars
from core.config import ConfigError
from core.duplicates import (
    DuplicateGroup,
    FindProgress,
    KeepSuggestions,
    ResolveError,
    find_groups,
    list_dismissed,
    review,
    undismiss,
    undo_resolution,
)  # fmt: skip
from core.duplicates.settings import MAX_THRESHOLD
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dupes",
        help="find duplicate photos (exact and near copies); resolve them into the trash",
        description="Lists groups of copies of one photograph, the suggested keeper first (rules: config "
        "[duplicates] keep). --resolve auto keeps each suggestion, merges albums/tags/ratings onto it and "
        "moves the other copies to the library's trash (see `shoebox trash`).",
    )
    parser.add_argument("--json", action="store_true", help="JSON: [{kind, keep, photos, distance, ...}]")
    parser.add_argument("--threshold", type=integer(0, MAX_THRESHOLD), default=None, metavar="BITS",
                        help="largest hash distance of a candidate pair, 0-16 (default: config, else 8)")  # fmt: skip
    parser.add_argument("--exact-only", action="store_true", help="only byte-identical copies (fast)")
    parser.add_argument("--all", action="store_true", help="also groups already dismissed or resolved")
    parser.add_argument("--resolve", choices=["auto"], help="keep each suggested keeper, trash the other copies")
    parser.add_argument("--dry-run", action="store_true", help="with --resolve: say what would happen, change nothing")
    parser.add_argument("--undo", nargs="?", const=-1, type=integer(1, 2**63 - 1), metavar="ID",
                        help="restore the copies the last (or the given) resolution trashed")  # fmt: skip
    parser.add_argument(
        "--dismissed", action="store_true", help='list the groups marked "not duplicates" (newest first)'
    )
    parser.add_argument("--undismiss", metavar="KEY|ID",
                        help='take back a "not duplicates" (key or id from --dismissed): the group is listed again')  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, library: Library) -> int:
    try:
        if args.undo is not None:
            return _undo(args, library)
        if args.dismissed:
            return _list_dismissed(args, library)
        if args.undismiss is not None:
            return _undismiss(args, library)
        groups = find_groups(
            library, args.threshold, exact_only=args.exact_only, include_decided=args.all, progress=_progress_line()
        )
        if sys.stderr.isatty():
            sys.stderr.write("\r\033[K")  # clear the progress line
    except (ConfigError, ResolveError) as exc:
        error(str(exc))
        return 2
    if args.resolve:
        return _resolve(args, library, groups)
    if args.json:
        write_json([g.to_json() for g in groups])
    else:
        _print_groups(groups)
    return 0


def _progress_line() -> Callable[[FindProgress], None] | None:
    """A one-line progress display on a terminal's stderr (nothing for pipes and cron)."""
    if not sys.stderr.isatty():
        return None
    labels = {
        "thumbnails": "hashing crops of older photos",
        "hashes": "comparing hashes",
        "verifying": "checking candidate pairs",
    }

    def show(progress: FindProgress) -> None:
        sys.stderr.write(f"\r{labels.get(progress.stage, progress.stage)}: {progress.done}/{progress.total}\033[K")
        sys.stderr.flush()

    return show


def _resolve(args: argparse.Namespace, library: Library, groups: list[DuplicateGroup]) -> int:
    results = review(library, groups, KeepSuggestions(), dry_run=args.dry_run).resolutions
    if args.json:
        write_json([r.to_json() for r in results])
    else:
        verb = "would trash" if args.dry_run else "trashed"
        for r in results:
            print(f"keep   {', '.join(p.path for p in r.kept)}")
            for photo, entry in r.trashed:
                print(f"  {verb} {photo.path}" + (f"  (trash id {entry})" if entry else ""))
            for photo, reason in r.skipped:
                print(f"  kept   {photo.path}  ({reason})")
            for photo, reason in r.failed:
                print(f"  FAILED {photo.path}: {reason}")
            for sidecar in r.sidecars:
                if sidecar.action in ("created", "written"):
                    print(f"  sidecar {sidecar.sidecar}")
        moved = sum(len(r.trashed) for r in results)
        freed = sum(p.size for r in results for p, _ in r.trashed)
        summary = f"{_count(len(results), 'group')}, {_count(moved, 'file')} {verb} ({human_size(freed)})"
        print(summary + ("; `shoebox dupes --undo` brings the last group back" if moved and not args.dry_run else ""))
    failures = [f for r in results for f in r.failed]
    for photo, reason in failures:
        error(f"{photo.path}: {reason}")
    warn_sidecars([s for r in results for s in r.sidecars])
    return 1 if failures else 0


def _undo(args: argparse.Namespace, library: Library) -> int:
    undo = undo_resolution(library, None if args.undo == -1 else args.undo)
    if args.json:
        write_json(undo.to_json())
    else:
        for restored in undo.restored:
            print(f"restored {restored.path}" + ("  (its old name was taken)" if restored.renamed else ""))
    for entry_id, reason in undo.failed:
        error(f"trash id {entry_id}: {reason}")
    warn_sidecars(undo.sidecars)
    return 1 if undo.failed else 0


def _list_dismissed(args: argparse.Namespace, library: Library) -> int:
    dismissed = list_dismissed(library)
    if args.json:
        write_json([d.to_json() for d in dismissed])
        return 0
    if not dismissed:
        print("no groups marked as not duplicates")
        return 0
    for group in dismissed:
        print(
            f"{group.key}  id {group.decision_id}  {_count(len(group.photos), 'photo')}  dismissed {group.decided_at}"
        )
        for photo in group.photos:
            print(f"  {photo.path}")
    print(f"{_count(len(dismissed), 'group')}; `shoebox dupes --undismiss KEY` lists one again")
    return 0


def _undismiss(args: argparse.Namespace, library: Library) -> int:
    group = undismiss(library, args.undismiss)
    if args.json:
        write_json(group.to_json())
    else:
        print(f"{group.key}: {_count(len(group.photos), 'photo')} will be grouped again if they still match")
    return 0


def _print_groups(groups: list[DuplicateGroup]) -> None:
    out = sys.stdout
    if not groups:
        out.write("no duplicates found\n")
        return
    for group in groups:
        out.write(
            f"{group.kind} · {len(group.photos)} photos · distance {group.distance} · frees {human_size(group.savings)}\n"
        )
        for photo in group.photos:
            keep = photo.id == group.keeper_id
            pixels = f"{photo.width}×{photo.height}" if photo.width else "-"
            why = group.keeper_reason if keep else (group.reason_for(photo.id) or "")
            out.write(
                f"  {'keep ' if keep else 'trash'}  {pixels:>11}  {photo.format:5}  {human_size(photo.size):>8}  {photo.path}  ({why})\n"
            )
    total = sum(g.savings for g in groups)
    out.write(
        f"{_count(len(groups), 'group')}; resolving them all frees {human_size(total)} (`shoebox dupes --resolve auto`)\n"
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
