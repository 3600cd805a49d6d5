"""``shoebox people scan`` and ``shoebox people auto on|off``: finding faces (core/people scan)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from core.cli.argtypes import integer
from core.cli.cloud_support import counter_progress
from core.cli.output import error, show_setting, write_json
from core.cli.stopping import cancel_on_sigterm
from core.library import Library

if TYPE_CHECKING:
    from core.people.scan import ScanStats


def register_scan(actions: argparse._SubParsersAction) -> None:
    """Add the ``scan`` and ``auto`` actions to ``shoebox people``."""
    scan = actions.add_parser("scan", help="find the faces in photos not scanned yet (resumable)",
                              description="Looks for faces in every photo not scanned yet by the current face "
                                          "model, and groups the new faces into persons. Stop it at any time: "
                                          "the next scan carries on where it stopped.")  # fmt: skip
    scan.add_argument("--workers", type=integer(1, 256), default=None, help="processes that look (default: all cores)")
    scan.add_argument("--json", action="store_true", help="print the run's figures as JSON")
    scan.set_defaults(people_run=run_scan)
    auto = actions.add_parser("auto", help="scan new photos for faces as they are indexed: on or off",
                              description="on: every index run also looks for faces in the photos it adds. "
                                          "off (the default): faces are found only by 'shoebox people scan'.")  # fmt: skip
    auto.add_argument("mode", nargs="?", choices=("on", "off"), help="leave out to print the current setting")
    auto.add_argument("--json", action="store_true")
    auto.set_defaults(people_run=run_auto)


def run_scan(args: argparse.Namespace, library: Library) -> int:
    """Scan with a progress bar on a terminal; Ctrl-C / SIGTERM stop cleanly (resumable)."""
    from core.people.scan import scan_photos

    with cancel_on_sigterm() as cancel, counter_progress("Finding faces", enabled=not args.json) as bar:
        progress = (lambda p: bar(p.done, p.total)) if bar else None
        try:
            stats = scan_photos(library, workers=args.workers, progress=progress, cancel=cancel)
        except KeyboardInterrupt:
            cancel.set()
            error("interrupted; the faces found are saved — run `shoebox people scan` to finish")
            return 130
    if args.json:
        write_json(stats.to_json())
        return 0
    for path, reason in stats.skipped:
        error(f"{path}: {reason}")
    print(summary_line(stats), file=sys.stdout)
    return 0


def summary_line(stats: ScanStats) -> str:
    """One line saying what a scan did."""
    rate = stats.scanned / stats.elapsed if stats.elapsed > 0 and stats.scanned else 0.0
    text = (f"{stats.scanned} photos scanned ({rate:.1f}/s): {stats.faces} new faces, "
            f"{len(stats.skipped)} skipped, in {stats.elapsed:.1f} s")  # fmt: skip
    if stats.persons_formed or stats.faces_joined:
        text += f"; {stats.persons_formed} new persons, {stats.faces_joined} faces joined a person"
    return text + (" — cancelled, run again to finish" if stats.cancelled else "")


def run_auto(args: argparse.Namespace, library: Library) -> int:
    from core.people.settings import auto_scan, set_auto_scan

    if args.mode is not None:
        set_auto_scan(library, args.mode == "on")
    on = auto_scan(library)
    return show_setting(
        args.json, "auto", on, f"new photos are scanned for faces as they are indexed: {'on' if on else 'off'}"
    )
