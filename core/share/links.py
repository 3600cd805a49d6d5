"""``shoebox share QUERY|--album NAME``: expiring links to shared copies, a gallery page, revoke."""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.catalog.photos import get_photo, iter_photos
from core.catalog.records import Photo
from core.cloud.client import check_access, make_client
from core.cloud.errors import CloudError, error_code, explain
from core.cloud.keys import share_prefix
from core.cloud.target import CloudTarget
from core.collections import photos_in_album_named
from core.collections.marks import get_marks
from core.library import Library
from core.media.records import UnreadableMedia
from core.share.derivative import shared_copy
from core.share.gallery import gallery_html
from core.share.store import (
    Share,
    ShareItem,
    get_share,
    iso,
    mark_revoked,
    new_share_id,
    parse_iso,
    save_share,
    utc_now,  # fmt: skip
)

PAGE_NAME = "index.html"


@dataclass(slots=True)
class ShareLinks:
    """A share and its links, signed now for the time it has left."""

    share: Share
    page_url: str | None
    links: list[tuple[str, str]] = field(default_factory=list)  # (name, url)
    skipped: list[str] = field(default_factory=list)  # photos that could not be shared, with the reason

    def to_json(self) -> dict[str, Any]:
        return {**self.share.to_json(), "url": self.page_url,
                "links": [{"name": n, "url": u} for n, u in self.links], "skipped": self.skipped}  # fmt: skip


def select_photos(library: Library, *, query: str = "", album: str | None = None) -> list[Photo]:
    """Present photos of the query or album (an unknown album is an error)."""
    if album is not None:
        ids = photos_in_album_named(library.db, album)
        if ids is None:
            raise CloudError(f"there is no album named '{album}'")
        photos = [p for p in (get_photo(library.db, i) for i in ids) if p is not None]
        return [p for p in photos if p.status == "present"]
    return list(iter_photos(library.db, query))


def share_deadline(seconds: int) -> datetime:
    """When a share made now stops working, to the second (what ``expires_at`` records and shows)."""
    return parse_iso(iso(utc_now() + timedelta(seconds=seconds)))


def seconds_until(deadline: datetime) -> int:
    """Whole seconds from now to ``deadline``, rounded down, so a link signed now ends at or before it.

    A presigned URL's life runs from its signing second (X-Amz-Date, rounded down) for
    ExpiresIn seconds; with ExpiresIn rounded down too it never outlives ``deadline``.
    Raises :class:`CloudError` when the deadline has passed (the work took longer than the share lasts).
    """
    seconds = math.floor((deadline - utc_now()).total_seconds())
    if seconds < 1:
        raise CloudError(f"the share expired ({iso(deadline)}) before its links could be signed: "
                         "choose a longer --expires")  # fmt: skip
    return seconds


def presign_get(client: Any, bucket: str, key: str, deadline: datetime) -> str:
    """A GET link for ``key`` that stops working at ``deadline`` (never later)."""
    return client.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key},
                                         ExpiresIn=seconds_until(deadline))  # fmt: skip


def create_share(
    library: Library,
    target: CloudTarget,
    *,
    query: str = "",
    album: str | None = None,
    expires: int,
    strip_gps: bool = True,
    max_size: int | None = 2048,
    client: Any = None,
    workers: int = 2,
    cancel: threading.Event | None = None,
) -> ShareLinks:
    """Upload shared copies of the photos and a gallery page; returns their expiring links."""
    selected = select_photos(library, query=query, album=album)
    photos = [p for p in selected if p.kind == "photo"]
    skipped = [f"{p.path}: videos are not shared (their metadata cannot be rewritten to an allow-list)"
               for p in selected if p.kind != "photo"]  # fmt: skip
    if not photos:
        raise CloudError("nothing to share: no photos match" + (f" in the album '{album}'" if album else " the query"))
    # The deadline is fixed before anything is uploaded; every link is signed to end at it.
    created, deadline = utc_now(), share_deadline(expires)
    client = client or make_client(target)
    check_access(client, target)
    share_id = new_share_id()
    prefix = share_prefix(target, share_id)
    share = Share(share_id, target.url, "link", album or query or "all photos", album, prefix + PAGE_NAME,
                  iso(created), iso(deadline), strip_gps, max_size, "active")  # fmt: skip

    captions = {p.id: getattr(get_marks(library.db, p.id), "caption", None) for p in photos}  # what the user wrote

    def upload_copy(numbered: tuple[int, Photo]) -> ShareItem | None:
        number, photo = numbered
        if cancel is not None and cancel.is_set():
            return None
        try:
            data = shared_copy(photo.fs_path, max_size=max_size, strip_gps=strip_gps, caption=captions[photo.id])
        except (UnreadableMedia, OSError) as exc:
            skipped.append(f"{photo.path}: {exc}")
            return None
        name = f"{os.path.splitext(photo.name)[0]}.jpg"
        key = f"{prefix}{number:04d}-{name}"
        client.put_object(Bucket=target.bucket, Key=key, Body=data, ContentType="image/jpeg",
                          CacheControl="private, max-age=3600")  # fmt: skip
        return ShareItem(key, name, photo.sha256)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            share.items = [item for item in pool.map(upload_copy, enumerate(photos, 1)) if item is not None]
        if not share.items:
            raise CloudError("none of the photos could be shared: " + "; ".join(skipped[:3]))
        links = [(item.name, presign_get(client, target.bucket, item.key, deadline)) for item in share.items]
        page = gallery_html(share.title, links, share.expires_at.replace("T", " ").replace("Z", " UTC"))
        client.put_object(Bucket=target.bucket, Key=share.page_key, Body=page.encode("utf-8"),
                          ContentType="text/html; charset=utf-8", CacheControl="private, no-store")  # fmt: skip
        page_url = presign_get(client, target.bucket, share.page_key, deadline)
    except Exception as exc:
        _discard(client, target.bucket, prefix)  # copies of a share that will not exist
        if isinstance(exc, CloudError):
            raise
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc
    save_share(library.db, share)
    return ShareLinks(share, page_url, links, skipped)


def _discard(client: Any, bucket: str, prefix: str) -> None:
    """Best effort: remove the copies a failed share uploaded (they are derivatives; originals are never here)."""
    try:
        delete_prefix(client, bucket, prefix)
    except Exception:
        pass


def share_links(library: Library, target: CloudTarget, share_id: str, *, client: Any = None) -> ShareLinks:
    """Links of an existing share, signed again for the time it has left (none once expired or revoked)."""
    share = get_share(library.db, share_id)
    if share is None:
        raise CloudError(f"no share '{share_id}': see `shoebox share ls`")
    if share.state != "active" or share.seconds_left < 1:  # under a second left: nothing worth signing
        return ShareLinks(share, None)
    client = client or make_client(target)
    deadline = parse_iso(share.expires_at)
    links = [] if share.kind == "collect" else [
        (item.name, presign_get(client, target.bucket, item.key, deadline)) for item in share.items
    ]  # fmt: skip
    return ShareLinks(share, presign_get(client, target.bucket, share.page_key, deadline), links)


def revoke_share(library: Library, target: CloudTarget, share_id: str, *, client: Any = None) -> Share:
    """Delete the share's copies and page, so its links stop working before they expire."""
    share = get_share(library.db, share_id)
    if share is None:
        raise CloudError(f"no share '{share_id}': see `shoebox share ls`")
    client = client or make_client(target)
    try:
        delete_prefix(client, target.bucket, share_prefix(target, share.id))
    except Exception as exc:
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc
    mark_revoked(library.db, share.id)
    return get_share(library.db, share.id)  # type: ignore[return-value]


def delete_prefix(client: Any, bucket: str, prefix: str) -> int:
    """Delete every object under ``prefix`` for good, every version of it on a versioned bucket; returns how many.

    On a bucket with versioning (which upload links turn on) a plain delete only hides an
    object behind a marker; revoking must remove the shared copies themselves.
    """
    entries = _versions_under(client, bucket, prefix)
    for start in range(0, len(entries), 1000):
        batch = entries[start : start + 1000]
        answer = client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if answer.get("Errors"):
            raise CloudError(f"could not delete {answer['Errors'][0].get('Key')}: {answer['Errors'][0].get('Message')}")
    return len({entry["Key"] for entry in entries})


def _versions_under(client: Any, bucket: str, prefix: str) -> list[dict[str, str]]:
    """``{"Key", "VersionId"}`` of every version and delete marker under ``prefix`` (plain keys without versioning)."""
    entries: list[dict[str, str]] = []
    try:
        for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            for entry in (page.get("Versions", []) or []) + (page.get("DeleteMarkers", []) or []):
                version = entry.get("VersionId")
                entries.append({"Key": entry["Key"], **({"VersionId": version} if version else {})})
        return entries
    except Exception as exc:
        if error_code(exc) not in ("NotImplemented", "MethodNotAllowed", "InvalidRequest", "501"):
            raise
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        entries.extend({"Key": obj["Key"]} for obj in page.get("Contents", []) or [])
    return entries
