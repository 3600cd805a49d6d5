"""``shoebox catalog check|repair|snapshots|snapshot|restore ID``: the catalog's health and its snapshots.

These run on the catalog file itself, not through an opened library, so they work when the
catalog is too damaged to open.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.catalog import health, snapshots
from core.catalog.db import CatalogError
from core.cli.output import error, human_size, write_json, write_table
from core.library import Library, library_directory


def register(subparsers: argparse._SubParsersAction) -> None:
    catalog = subparsers.add_parser(
        "catalog", help="check or repair the catalog; list and restore its snapshots",
        description="repair and restore replace catalog.db: close the app and stop `shoebox watch` first.",
    )  # fmt: skip
    actions = catalog.add_subparsers(dest="catalog_action", metavar="ACTION")
    check = actions.add_parser("check", help="check every page of the catalog (SQLite integrity_check)")
    check.add_argument(
        "--quick", action="store_true", help="the faster quick_check (does not compare indexes with tables)"
    )
    check.add_argument("--json", action="store_true")
    repair = actions.add_parser(
        "repair", help="recover what can be read, fill the rest from the newest good snapshot, rescan the roots"
    )
    repair.add_argument("--no-rescan", action="store_true", help="do not re-index the roots afterwards")
    repair.add_argument("--json", action="store_true")
    listing = actions.add_parser("snapshots", help="list the catalog's snapshots (newest first)")
    listing.add_argument("--json", action="store_true")
    actions.add_parser("snapshot", help="take a snapshot of the catalog now")
    restore = actions.add_parser("restore", help="go back to a snapshot (the current catalog is kept first)")
    restore.add_argument("id", help="a snapshot id from `shoebox catalog snapshots` (a unique prefix is enough)")
    catalog.set_defaults(run=run, needs_library=False, json=False)


def run(args: argparse.Namespace, _library: None) -> int:
    db_path = library_directory(args.library) / "catalog.db"
    if not db_path.exists():
        error(f"there is no library at {db_path.parent} (no catalog.db there): check the path")
        return 1
    action = args.catalog_action or "check"
    try:
        return {"check": _check, "repair": _repair, "snapshots": _list, "snapshot": _take, "restore": _restore}[action](
            args, db_path
        )
    except (snapshots.SnapshotError, CatalogError) as exc:
        error(str(exc))
        return 1


def _check(args: argparse.Namespace, db_path: Path) -> int:
    result = health.check(db_path, full=not args.quick)
    if result.ok:
        health.clear_damaged(db_path)
    else:
        health.mark_damaged(db_path, result.problems)
    if args.json:
        write_json(result.to_json())
    elif result.ok:
        print(f"the catalog is whole ({'quick_check' if args.quick else 'integrity_check'}: ok)")
    else:
        error(health.damage_message(db_path, result.problems))
    return 0 if result.ok else 1


def _repair(args: argparse.Namespace, db_path: Path) -> int:
    from core.catalog.repair import RepairError, repair_catalog

    try:
        report = repair_catalog(db_path)
    except RepairError as exc:
        error(f"{exc}; the catalog was left as it was")
        return 1
    stats = None
    with Library.open(db_path.parent, create=False) as library:
        from core.catalog.roots import list_roots

        if not args.no_rescan and list_roots(library.db):
            from core.indexing.indexer import index_library

            stats = index_library(library)
        snapshot = snapshots.take_snapshot(library.db.conn, db_path)
    if args.json:
        write_json({**report.to_json(), "rescan": stats.to_json() if stats else None, "snapshot_after": snapshot.id})
        return 0
    damaged = ", ".join(report.damaged_tables) or "none"
    print(f"repaired: {report.salvaged} rows read from the damaged catalog, {report.from_snapshot} taken from "
          f"snapshot {report.snapshot or '(none)'}; damaged tables: {damaged}")  # fmt: skip
    if not report.schema_readable:
        print("the catalog's first page was unreadable: everything came from the snapshot and the rescan")
    if report.kept_copy:
        print(f"the damaged file is kept at {report.kept_copy}")
    if stats is not None:
        print(f"rescanned the roots: {stats.stored} photos read again")
    print(f"new snapshot {snapshot.id}")
    return 0


def _list(args: argparse.Namespace, db_path: Path) -> int:
    found = snapshots.list_snapshots(db_path)
    if args.json:
        write_json([s.to_json() for s in found])
        return 0
    if not found:
        print("no snapshots yet: one is taken on the first change of each day (or run `shoebox catalog snapshot`)")
        return 0
    write_table(((s.id, s.taken_at.strftime("%Y-%m-%d %H:%M UTC"), human_size(s.size)) for s in found),
                ("ID", "TAKEN", "SIZE"))  # fmt: skip
    return 0


def _take(args: argparse.Namespace, db_path: Path) -> int:
    with Library.open(db_path.parent, create=False) as library:
        snapshot = snapshots.take_snapshot(library.db.conn, db_path)
    print(f"snapshot {snapshot.id} ({human_size(snapshot.size)})")
    return 0


def _restore(args: argparse.Namespace, db_path: Path) -> int:
    from core.catalog.repair import restore_snapshot

    chosen, previous = restore_snapshot(db_path, args.id)
    Library.open(db_path.parent, create=False).close()  # brings an older snapshot's schema up to date
    print(f"restored snapshot {chosen.id}" + (f"; the catalog it replaced is kept at {previous}" if previous else ""))
    return 0
