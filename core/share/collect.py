"""Contributor links: a presigned POST that lets others upload into an album's inbox prefix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.cloud.client import check_access, make_client
from core.cloud.errors import explain
from core.cloud.keys import inbox_prefix, share_prefix
from core.cloud.target import CloudTarget
from core.library import Library
from core.share.gallery import upload_html
from core.share.links import PAGE_NAME, ShareLinks, presign_get
from core.share.store import Share, iso, new_share_id, save_share, utc_now

#: The largest file a contributor may upload (a long phone video fits).
MAX_UPLOAD = 2 * 1000**3


def presigned_post(client: Any, target: CloudTarget, share_id: str, seconds: int,
                   max_bytes: int = MAX_UPLOAD) -> dict[str, Any]:  # fmt: skip
    """URL and form fields allowing uploads of up to ``max_bytes`` under the share's inbox prefix only."""
    prefix = inbox_prefix(target, share_id)
    return client.generate_presigned_post(
        target.bucket, prefix + "${filename}",
        Conditions=[["starts-with", "$key", prefix], ["content-length-range", 1, max_bytes]],
        ExpiresIn=seconds,
    )  # fmt: skip


def create_collect(library: Library, target: CloudTarget, *, album: str, expires: int,
                   max_bytes: int = MAX_UPLOAD, client: Any = None) -> tuple[ShareLinks, dict[str, Any]]:  # fmt: skip
    """Create a contributor inbox for ``album``: an upload page link and the raw presigned POST."""
    client = client or make_client(target)
    check_access(client, target)
    share_id = new_share_id()
    now = utc_now()
    share = Share(share_id, target.url, "collect", album, album, share_prefix(target, share_id) + PAGE_NAME,
                  iso(now), iso(now + timedelta(seconds=expires)), True, None, "active")  # fmt: skip
    post = presigned_post(client, target, share_id, expires, max_bytes)
    page = upload_html(album, post["url"], post["fields"], share.expires_at.replace("T", " ").replace("Z", " UTC"),
                       max_bytes)  # fmt: skip
    try:
        client.put_object(Bucket=target.bucket, Key=share.page_key, Body=page.encode("utf-8"),
                          ContentType="text/html; charset=utf-8", CacheControl="private, no-store")  # fmt: skip
    except Exception as exc:
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc
    save_share(library.db, share)
    return ShareLinks(share, presign_get(client, target.bucket, share.page_key, expires)), post
