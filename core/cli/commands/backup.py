"""``shoebox backup [QUERY]``: upload originals (and XMP sidecars) that are not in the bucket yet."""

from __future__ import annotations

import argparse

from core.cli.argtypes import integer, rate
from core.cli.cloud_support import backup_progress, cloud_errors, describe_rate
from core.cli.output import error, human_size, write_json
from core.cli.parsers import add_command
from core.cli.query_help import add_query_words, query_or_exit
from core.cli.stopping import cancel_on_sigterm
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "backup", "upload photos not yet in the bucket (resumable; content-addressed, so moves never re-upload)",
        run, json="print the run's figures as JSON",
    )  # fmt: skip
    add_query_words(parser, "only photos matching this query (default: all)")
    parser.add_argument("--dry-run", action="store_true", help="say what would be uploaded, upload nothing")
    parser.add_argument("--bandwidth", type=rate, metavar="RATE", help="limit uploads, e.g. 5MB/s or 500KB/s")
    parser.add_argument("--concurrency", type=integer(1, 64), default=None, help="files uploaded at once (default 4)")
    parser.add_argument("--no-sidecars", action="store_true", help="skip XMP sidecars")


def run(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.backup import run_backup
    from core.cloud.target import parse_rate, require_target, transfer_settings

    if isinstance(code := query_or_exit(" ".join(args.query)), int):
        return code  # a bad query is reported before anything is uploaded
    with cloud_errors():
        target = require_target(library.directory)
        bandwidth = parse_rate(args.bandwidth) if args.bandwidth else None
        settings = transfer_settings(library.directory, bandwidth=bandwidth, concurrency=args.concurrency)
        try:
            with cancel_on_sigterm() as cancel, backup_progress(enabled=not args.json and not args.dry_run) as progress:
                stats = run_backup(library, target, query=" ".join(args.query), settings=settings,
                                   dry_run=args.dry_run, sidecars=not args.no_sidecars, progress=progress,
                                   cancel=cancel)  # fmt: skip
        except KeyboardInterrupt:
            error("interrupted; what was uploaded is recorded — run `shoebox backup` to resume")
            return 130
        if args.json:
            write_json(stats.to_json())
        elif args.dry_run:
            print(f"{stats.photos} photos, {stats.contents} distinct contents: {stats.already_backed_up} backed up, "
                  f"{stats.contents - stats.already_backed_up} to upload ({human_size(stats.bytes_planned)})")  # fmt: skip
        else:
            for message in stats.errors[:20]:
                error(message)
            print(
                f"uploaded {stats.uploaded} ({human_size(stats.bytes_uploaded)}, "
                f"{describe_rate(stats.bytes_uploaded, stats.elapsed)}), {stats.found_in_bucket} already in the bucket, "
                f"{stats.already_backed_up} backed up before, {stats.failed} failed, {stats.remaining} still queued"
                + (f", {human_size(stats.bytes_resumed)} resumed" if stats.bytes_resumed else "")
            )
            if stats.stopped:
                error(stats.stopped)
            if stats.cancelled:
                error("stopped; run `shoebox backup` to resume")
        if stats.cancelled:
            return 130
        return 1 if stats.failed or stats.stopped or stats.remaining else 0
    return 1
