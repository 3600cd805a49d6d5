"""``shoebox watch``: keep the catalog (and optionally the backup) up to date as files change.

A long-running process for a NAS or a laptop: logs to stdout, exits cleanly on SIGTERM
or Ctrl-C. Suitable as a systemd service (``ExecStart=shoebox --library DIR watch --backup``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from core.cli.argtypes import integer, rate, seconds, time_window
from core.cli.cloud_support import cloud_errors
from core.cli.output import error
from core.cli.parsers import add_command
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "watch", "watch the roots: index new files once they settle, follow moves, optionally back up",
        run, description=__doc__,
    )  # fmt: skip
    parser.add_argument(
        "--settle", type=seconds(0, 86400), default=2.0, help="seconds a file must stop changing (default 2)"
    )
    parser.add_argument("--backup", action="store_true", help="back new photos up to the cloud target")
    parser.add_argument("--bandwidth", type=rate, metavar="RATE", help="limit uploads, e.g. 5MB/s")
    parser.add_argument(
        "--window", type=time_window, metavar="HH:MM-HH:MM", help="upload only in this time window, e.g. 01:00-06:00"
    )
    parser.add_argument("--rescan-interval", type=seconds(1, 7 * 86400), default=300.0,
                        help="seconds between rescans of roots too big to watch (default 300)")  # fmt: skip
    parser.add_argument("--max-watches", type=integer(1, 10**7), default=None,
                        help="folders that may be watched (default: half the OS inotify limit)")  # fmt: skip
    parser.add_argument("--workers", type=integer(1, 256), default=1, help="processes reading big batches (default 1)")


def run(args: argparse.Namespace, library: Library) -> int:
    from core.catalog.roots import list_roots
    from core.watch.watcher import Watcher, WatchOptions

    logging.basicConfig(stream=sys.stdout, level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    for noisy in ("botocore", "boto3", "urllib3", "watchfiles"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if not list_roots(library.db):
        error("this library has no folders yet: add one with `shoebox add PATH`")
        return 1
    options = WatchOptions(settle=args.settle, rescan_interval=args.rescan_interval, workers=args.workers,
                           budget=-1 if args.max_watches is None else args.max_watches)  # fmt: skip
    if args.backup or args.window or args.bandwidth:
        auto = _auto_backup(args, library)
        if auto is None:
            return 1
        options.backup = auto
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        Watcher(library, options, stop).run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _auto_backup(args: argparse.Namespace, library: Library):  # type: ignore[no-untyped-def]
    from core.cloud.target import parse_rate, require_target, transfer_settings
    from core.watch.watcher import AutoBackup
    from core.watch.window import UploadWindow

    with cloud_errors():
        target = require_target(library.directory)
        bandwidth = parse_rate(args.bandwidth) if args.bandwidth else None
        window = UploadWindow.parse(args.window) if args.window else None
        return AutoBackup(target, transfer_settings(library.directory, bandwidth=bandwidth), window)
    return None
