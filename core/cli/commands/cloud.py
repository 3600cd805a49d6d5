"""``shoebox cloud set|show|verify|rebuild``: the backup target and checks of the bucket."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.cloud_support import cloud_errors, counter_progress, describe_rate
from core.cli.output import human_size, write_json, write_table
from core.cli.query_help import add_query_help, query_or_exit
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("cloud", help="the S3 backup target: set, show, verify, rebuild")
    commands = parser.add_subparsers(dest="cloud_command", metavar="ACTION", required=True)

    set_ = commands.add_parser(
        "set",
        help="back up to s3://BUCKET/PREFIX (credentials come from the AWS environment or profile)",
        description="Credentials are never stored by Shoebox: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
        "use a profile in ~/.aws/credentials (--profile), or an instance role.",
    )
    set_.add_argument("url", help="s3://BUCKET or s3://BUCKET/PREFIX")
    set_.add_argument("--endpoint-url", help="an S3-compatible server, e.g. https://s3.example.com")
    set_.add_argument("--profile", help="the AWS profile whose credentials to use")
    set_.add_argument("--region", help="the bucket's region (default: from the AWS config, else us-east-1)")
    set_.add_argument("--create-bucket", action="store_true", help="create the bucket if it does not exist")
    set_.add_argument("--no-check", action="store_true", help="save without contacting the server")
    set_.add_argument("--json", action="store_true")
    set_.set_defaults(run=run_set, creates_library=True)

    show = commands.add_parser("show", help="the target and how much of the library is backed up")
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_show)

    verify = commands.add_parser("verify", help="check that every catalogued photo is whole in the bucket")
    verify.add_argument("query", nargs="*", help="only photos matching this query")
    verify.add_argument("--deep", action="store_true", help="download and re-hash every object (slow, thorough)")
    verify.add_argument("--json", action="store_true")
    add_query_help(verify)
    verify.set_defaults(run=run_verify)

    rebuild = commands.add_parser("rebuild", help="recreate a library from the bucket's manifest (new machine)")
    rebuild.add_argument("directory", help="where the photos are downloaded (one folder per original root)")
    rebuild.add_argument("--json", action="store_true")
    rebuild.set_defaults(run=run_rebuild, creates_library=True)


def run_set(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.client import check_access, make_client
    from core.cloud.target import parse_target, save_target

    with cloud_errors():
        target = parse_target(args.url, endpoint_url=args.endpoint_url, profile=args.profile, region=args.region)
        if not args.no_check:
            check_access(make_client(target), target, create_bucket=args.create_bucket)
        save_target(library.directory, target)
        if args.json:
            write_json(target.to_json())
        else:
            where = f" on {target.endpoint_url}" if target.endpoint_url else ""
            print(f"backups go to {target.url}{where}; run `shoebox backup` to upload")
        return 0
    return 1


def run_show(args: argparse.Namespace, library: Library) -> int:
    from core.cloud import ledger
    from core.cloud.target import load_target

    with cloud_errors():
        target = load_target(library.directory)
        if target is None:
            if args.json:
                write_json({"target": None})
            else:
                print("no backup target: run `shoebox cloud set s3://BUCKET/PREFIX [--endpoint-url URL]`")
            return 0
        summary = ledger.summary(library.db, target.url)
        failures = [
            {"key": f.key, "path": f.source_path, "error": f.error} for f in ledger.failures(library.db, target.url)
        ]
        if args.json:
            write_json({**target.to_json(), "objects": summary, "failures": failures})
            return 0
        print(f"target: {target.url}" + (f" on {target.endpoint_url}" if target.endpoint_url else ""))
        if target.profile:
            print(f"profile: {target.profile}")
        rows = [(state, str(v["count"]), human_size(v["bytes"])) for state, v in sorted(summary.items())]
        write_table(rows or [("nothing backed up yet", "", "")], ("STATE", "OBJECTS", "SIZE"))
        for failure in failures[:10]:
            print(f"failed: {failure['path'] or failure['key']}: {failure['error']}")
        return 0
    return 1


def run_verify(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.target import require_target
    from core.cloud.verify import verify_backup

    if isinstance(code := query_or_exit(" ".join(args.query)), int):
        return code
    with cloud_errors():
        target = require_target(library.directory)
        with counter_progress("Verifying", enabled=not args.json) as progress:
            report = verify_backup(library, target, query=" ".join(args.query), deep=args.deep, progress=progress)
        if args.json:
            write_json(report.to_json())
        else:
            for issue in report.issues[:50]:
                print(f"{issue.problem}: {issue.path or issue.key}")
            print(
                f"{report.ok} of {report.contents} contents verified ({'downloaded and hashed' if report.deep else 'size and ETag'}), "
                f"{report.missing} missing, {report.damaged} damaged, {report.not_backed_up} not backed up yet"
                + (f"; {report.requeued} queued again: run `shoebox backup`" if report.requeued else "")
            )
        return 0 if report.healthy else 1
    return 1


def run_rebuild(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.rebuild import rebuild_library
    from core.cloud.target import require_target

    with cloud_errors():
        target = require_target(library.directory)
        with counter_progress("Downloading", enabled=not args.json) as progress:
            stats = rebuild_library(library, target, Path(args.directory), progress=progress)
        if args.json:
            write_json(stats.to_json())
        else:
            for path in stats.conflicts[:20]:
                print(f"left alone (a different file is there): {path}")
            for line in stats.failed[:20]:
                print(f"failed: {line}", file=sys.stderr)
            print(f"rebuilt {stats.catalogued} of {stats.photos} photos into {stats.directory} "
                  f"({stats.downloaded} downloaded, {human_size(stats.bytes)}, {describe_rate(stats.bytes, stats.elapsed)})")  # fmt: skip
        return 0 if not stats.failed and not stats.conflicts else 1
    return 1
