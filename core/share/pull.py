"""``shoebox share pull``: contributed photos into the library, through the normal import path.

Each file in a contributor inbox is downloaded and hashed. Content the library already
has is not written again (it only joins the album); new content is placed in the inbox
folder without overwriting anything, indexed like any other file, and added to the
album. Imported files are then removed from the bucket's inbox; files that are not
photos or videos are left there and reported.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root, list_roots, normalise_root
from core.cloud.client import check_access, make_client
from core.cloud.download import CHUNK
from core.cloud.keys import inbox_prefix
from core.cloud.labels import add_to_album
from core.cloud.target import CloudTarget
from core.indexing.indexer import index_library
from core.library import Library
from core.media.formats import is_media_name
from core.share.store import ShareItem, add_items, list_shares


@dataclass(slots=True)
class PullStats:
    shares: int = 0
    downloaded: int = 0
    imported: int = 0  # new photos catalogued
    duplicates: int = 0  # content the library already had
    rejected: list[str] = field(default_factory=list)  # not photos or videos, left in the inbox
    failed: list[str] = field(default_factory=list)
    albums: dict[str, int] = field(default_factory=dict)
    folder: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def default_inbox() -> Path:
    from platformdirs import user_pictures_dir

    return Path(user_pictures_dir()) / "Shoebox Inbox"


def safe_name(name: str) -> str:
    """A file name without folders or characters that trouble file systems."""
    name = os.path.basename(name.replace("\\", "/")).strip().lstrip(".")
    name = re.sub(r'[\x00-\x1f<>:"|?*/]', "_", name)
    return name[:200] or "contribution"


def pull_contributions(library: Library, target: CloudTarget, *, to: Path | None = None, share_id: str | None = None,
                       client: Any = None, workers: int | None = None) -> PullStats:  # fmt: skip
    """Bring every contributor inbox of ``target`` (or one share) into the library."""
    client = client or make_client(target)
    check_access(client, target)
    folder = Path(to or default_inbox()).expanduser().absolute()
    shares = [s for s in list_shares(library.db, target.url) if s.kind == "collect"
              and (share_id is None or s.id.startswith(share_id))]  # fmt: skip
    stats = PullStats(shares=len(shares), folder=str(folder))
    known = _present_by_sha(library)
    placed: list[tuple[str, Path, str, str]] = []  # (album, path, key, sha)
    duplicates: list[tuple[str, int, str, str]] = []  # (album, photo id, key, sha)
    for share in shares:
        album = share.album or share.title
        prefix = inbox_prefix(target, share.id)
        for obj in _list(client, target.bucket, prefix):
            key = obj["Key"]
            name = safe_name(key[len(prefix):].rsplit("/", 1)[-1])
            if not is_media_name(name):
                stats.rejected.append(key)
                continue
            try:
                path, sha = _download(client, target.bucket, key, folder / safe_name(album), name)
            except OSError as exc:
                stats.failed.append(f"{key}: {exc.strerror or exc}")
                continue
            stats.downloaded += 1
            if sha in known:
                path.unlink()
                duplicates.append((album, known[sha], key, sha))
            else:
                known[sha] = -1
                placed.append((album, path, key, sha))
    if placed:
        root = _root_for(library, folder)
        index_library(library, [root], workers=workers)
    done_keys: dict[str, list[ShareItem]] = {}
    for album, path, key, sha in placed:
        photo = get_photo_by_path(library.db, str(path))
        if photo is None:  # unreadable: index recorded it as a problem; keep the contribution
            stats.failed.append(f"{key}: could not be read as a photo or video (see `shoebox problems`)")
            continue
        stats.imported += 1
        add_to_album(library.db, album, [photo.id])
        stats.albums[album] = stats.albums.get(album, 0) + 1
        done_keys.setdefault(album, []).append(ShareItem(key, path.name, sha))
    for album, photo_id, key, sha in duplicates:
        if photo_id < 0:
            photo_id = _present_by_sha(library).get(sha, -1)
        if photo_id >= 0:
            add_to_album(library.db, album, [photo_id])
        stats.duplicates += 1
        stats.albums[album] = stats.albums.get(album, 0) + 1
        done_keys.setdefault(album, []).append(ShareItem(key, key.rsplit("/", 1)[-1], sha))
    for share in shares:
        album = share.album or share.title
        items = [i for i in done_keys.get(album, []) if i.key.startswith(inbox_prefix(target, share.id))]
        if items:
            add_items(library.db, share.id, items)
            _delete(client, target.bucket, [i.key for i in items])
    return stats


def _present_by_sha(library: Library) -> dict[str, int]:
    return {row[0]: row[1] for row in library.db.query("SELECT sha256, min(id) FROM photos WHERE status = 'present' GROUP BY sha256")}


def _root_for(library: Library, folder: Path) -> str:
    """The root holding ``folder`` (registered as a new root when no root holds it)."""
    text = normalise_root(str(folder))
    for root in list_roots(library.db):
        if text == root.path or text.startswith(root.path.rstrip(os.sep) + os.sep):
            return root.path
    return add_root(library.db, text).path


def _list(client: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        objects.extend(page.get("Contents", []) or [])
    return objects


def _download(client: Any, bucket: str, key: str, folder: Path, name: str) -> tuple[Path, str]:
    """Download to a new file in ``folder`` (``name``, else ``stem-2.ext`` …); returns it and its sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.shoebox-{secrets.token_hex(4)}.part"
    digest = hashlib.sha256()
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
        with open(tmp, "xb") as out:
            while chunk := body.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        stem, ext = os.path.splitext(name)
        for n in range(1, 10_000):
            dest = folder / (name if n == 1 else f"{stem}-{n}{ext}")
            try:
                os.link(tmp, dest)
                return dest, digest.hexdigest()
            except FileExistsError:
                continue
        raise FileExistsError(f"too many files named {name} in {folder}")
    finally:
        tmp.unlink(missing_ok=True)


def _delete(client: Any, bucket: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[start : start + 1000]],
                                                     "Quiet": True})  # fmt: skip
