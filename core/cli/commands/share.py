"""``shoebox share``: expiring links to GPS-free copies, contributor inboxes, ls, links, revoke, pull.

shoebox share QUERY|--album NAME --expires 24h [--keep-gps] [--max-size 2048]
shoebox share --collect --album NAME --expires 7d [--max-file 500MB] [--max-total 10GB]
shoebox share ls | links ID | revoke ID | pull [ID] [--to DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.argtypes import integer, link_lifetime, upload_size
from core.cli.cloud_support import cloud_errors
from core.cli.output import error, human_size, write_json, write_table
from core.cli.parsers import add_command
from core.cli.query_help import add_query_help, query_or_exit
from core.library import Library

ACTIONS = ("ls", "links", "revoke", "pull")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "share",
        "share photos by expiring links (GPS stripped), collect photos from others; ls, links, revoke, pull",
        run, description=__doc__,
    )  # fmt: skip
    parser.add_argument("words", nargs="*", metavar="QUERY|ACTION",
                        help="photos to share (a query), or one of: ls, links ID, revoke ID, pull [ID]")  # fmt: skip
    parser.add_argument("--album", help="share (or collect into) this album")
    parser.add_argument(
        "--expires",
        type=link_lifetime,
        default="24h",
        help="how long links work: 30m, 24h, 7d (at most 7d; default 24h)",
    )
    gps = parser.add_mutually_exclusive_group()
    gps.add_argument("--strip-gps", dest="strip_gps", action="store_true", default=True,
                     help="shared copies carry no location (the default)")  # fmt: skip
    gps.add_argument("--keep-gps", dest="strip_gps", action="store_false", help="keep the location in shared copies")
    parser.add_argument(
        "--max-size",
        type=integer(0, 65535),
        default=2048,
        help="longest side of shared copies in pixels (0: full size)",
    )
    parser.add_argument("--collect", action="store_true", help="create an upload link others can add photos with")
    parser.add_argument(
        "--max-file",
        type=upload_size,
        default="500MB",
        help="collect: the largest file a guest may upload (default 500MB)",
    )
    parser.add_argument("--max-total", type=upload_size, default="10GB",
                        help="collect: what `share pull` accepts from the link in all (default 10GB)")  # fmt: skip
    parser.add_argument(
        "--to", metavar="DIR", help="pull: where contributed photos go (default: ~/Pictures/Shoebox Inbox)"
    )
    parser.add_argument("--json", action="store_true")
    add_query_help(parser)


def run(args: argparse.Namespace, library: Library) -> int:
    from core.cloud.target import require_target

    action = args.words[0] if args.words and args.words[0] in ACTIONS else None
    if action is None and not args.collect and isinstance(code := query_or_exit(" ".join(args.words)), int):
        return code  # a bad query is reported before anything is uploaded
    with cloud_errors():
        target = require_target(library.directory)
        if action == "ls":
            return _ls(args, library)
        if action == "links":
            return _links(args, library, target)
        if action == "revoke":
            return _revoke(args, library, target)
        if action == "pull":
            return _pull(args, library, target)
        if args.collect:
            return _collect(args, library, target)
        return _share(args, library, target)
    return 1


def _share(args: argparse.Namespace, library: Library, target) -> int:  # type: ignore[no-untyped-def]
    from core.share.durations import parse_duration
    from core.share.links import create_share

    if not args.words and not args.album:
        error("say what to share: a query (e.g. `shoebox share year:2024 beach`) or --album NAME")
        return 2
    query = " ".join(args.words)  # checked by run()
    result = create_share(library, target, query=query, album=args.album, expires=parse_duration(args.expires),
                          strip_gps=args.strip_gps, max_size=args.max_size or None)  # fmt: skip
    if args.json:
        write_json(result.to_json())
        return 0
    for line in result.skipped:
        error(f"not shared: {line}")
    print(f"shared {len(result.links)} photos ({'no location' if args.strip_gps else 'WITH location'}), "
          f"share {result.share.id}, links work until {result.share.expires_at}")  # fmt: skip
    print(f"gallery: {result.page_url}")
    return 0


def _collect(args: argparse.Namespace, library: Library, target) -> int:  # type: ignore[no-untyped-def]
    from core.share.collect import create_collect, parse_size
    from core.share.durations import parse_duration

    if not args.album:
        error("--collect needs --album NAME: contributed photos go into that album")
        return 2
    expires, max_file, max_total = parse_duration(args.expires), parse_size(args.max_file), parse_size(args.max_total)
    result, post, turned_on = create_collect(library, target, album=args.album, expires=expires, max_bytes=max_file,
                                             max_total=max_total)  # fmt: skip
    if args.json:
        write_json({**result.to_json(), "post": post, "versioning_turned_on": turned_on})
        return 0
    if turned_on:
        print(f"turned on versioning for bucket '{target.bucket}', so two guests' files of one name both arrive "
              "(later backups keep their earlier manifests as old versions)")  # fmt: skip
    print(f"collecting into '{args.album}' until {result.share.expires_at} (share {result.share.id}), "
          f"up to {human_size(max_file)} per file and {human_size(max_total)} in all")  # fmt: skip
    print(f"upload page: {result.page_url}")
    print("then run `shoebox share pull` to bring the photos into the library")
    return 0


def _ls(args: argparse.Namespace, library: Library) -> int:
    from core.share.durations import describe_remaining
    from core.share.store import list_shares

    shares = list_shares(library.db)
    if args.json:
        write_json([s.to_json() for s in shares])
        return 0
    rows = [(s.id, s.kind, s.state, describe_remaining(s.seconds_left) if s.state == "active" else "-",
             str(len(s.items)), s.title) for s in shares]  # fmt: skip
    write_table(rows, ("ID", "KIND", "STATE", "LEFT", "ITEMS", "WHAT"))
    return 0


def _need_id(args: argparse.Namespace) -> str | None:
    if len(args.words) < 2:
        error(f"`shoebox share {args.words[0]}` needs a share id (see `shoebox share ls`)")
        return None
    return args.words[1]


def _links(args: argparse.Namespace, library: Library, target) -> int:  # type: ignore[no-untyped-def]
    from core.share.links import share_links

    share_id = _need_id(args)
    if share_id is None:
        return 2
    result = share_links(library, target, share_id)
    if args.json:
        write_json(result.to_json())
        return 0
    if result.page_url is None:
        error(f"share {result.share.id} is {result.share.state}: its links no longer work")
        return 1
    print(f"page: {result.page_url}")
    for name, url in result.links:
        print(f"{name}: {url}")
    return 0


def _revoke(args: argparse.Namespace, library: Library, target) -> int:  # type: ignore[no-untyped-def]
    from core.share.links import revoke_share

    share_id = _need_id(args)
    if share_id is None:
        return 2
    share = revoke_share(library, target, share_id)
    if args.json:
        write_json(share.to_json())
    else:
        print(f"revoked {share.id}: its shared copies are deleted, so its links stop working now")
    return 0


def _pull(args: argparse.Namespace, library: Library, target) -> int:  # type: ignore[no-untyped-def]
    from core.share.pull import pull_contributions

    share_id = args.words[1] if len(args.words) > 1 else None
    stats = pull_contributions(library, target, to=Path(args.to) if args.to else None, share_id=share_id)
    if args.json:
        write_json(stats.to_json())
    else:
        for rejection in stats.rejections:
            error(f"left in the inbox, not pulled ({rejection['reason']}): {rejection['key']}")
        for line in stats.failed:
            error(line)
        for share_id in stats.closed:
            error(f"share {share_id} reached its total size: its upload page is removed (uploads already made "
                  "past the total stay in the inbox, not pulled)")  # fmt: skip
        earlier = f"; {stats.rejected_before} rejected earlier, not downloaded again" if stats.rejected_before else ""
        print(f"pulled {stats.downloaded} contributions into {stats.folder}: {stats.imported} new photos, "
              f"{stats.duplicates} already in the library{earlier}")  # fmt: skip
    return 1 if stats.failed else 0
