"""Contributor links: a presigned POST that lets others upload into an album's inbox prefix.

Every contribution must arrive, also when two guests send ``IMG_0001.JPG``: a presigned
POST policy is fixed when the link is made and a plain HTML form posts the page's own
``key`` field, so equal names mean equal keys. Shoebox therefore makes upload links only on
a bucket with **versioning**: the second upload becomes a second version of the key, not a
replacement, and ``share pull`` reads every version. Making a link turns versioning on
(and says so) and then proves it with two writes of one probe key; a store that cannot keep
both gets no link, with a message. A bucket whose owner suspended versioning is refused
rather than changed.

Caps: the policy's ``content-length-range`` makes the store refuse a file above the
per-file cap. S3 has no way to cap the total a link may receive, so ``share pull`` counts it:
contributions past the total are not downloaded (remembered as rejected) and the upload page
is removed once the total is reached. Guests holding the form can still upload until the
link expires; those objects stay in the inbox, never pulled.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from core.cloud.client import check_access, make_client
from core.cloud.errors import CloudError, error_code, explain
from core.cloud.keys import inbox_prefix, share_prefix
from core.cloud.target import CloudTarget
from core.library import Library
from core.share.gallery import upload_html
from core.share.links import PAGE_NAME, ShareLinks, presign_get, seconds_until, share_deadline
from core.share.store import Share, iso, new_share_id, save_share, utc_now

#: Default caps of one upload link: a few minutes of 4K phone video per file, a party's worth in all.
MAX_FILE = 500 * 1000**2
MAX_TOTAL = 10 * 1000**3
_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}  # fmt: skip


def parse_size(text: str) -> int:
    """``500MB``, ``2GB``, ``750k``, ``1GiB`` → bytes (above zero)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _SIZE_UNITS:
        raise CloudError(f"'{text}' is not a size: write e.g. 500MB, 2GB or 750KB")
    value = int(float(match.group(1)) * _SIZE_UNITS[unit])
    if value <= 0:
        raise CloudError(f"a size cap must be above zero, not '{text}'")
    return value


def presigned_post(client: Any, target: CloudTarget, share_id: str, seconds: int,
                   max_bytes: int = MAX_FILE) -> dict[str, Any]:  # fmt: skip
    """URL and form fields allowing uploads of up to ``max_bytes`` under the share's inbox prefix only."""
    prefix = inbox_prefix(target, share_id)
    return client.generate_presigned_post(
        target.bucket, prefix + "${filename}",
        Conditions=[["starts-with", "$key", prefix], ["content-length-range", 1, max_bytes]],
        ExpiresIn=seconds,
    )  # fmt: skip


def ensure_versioning(client: Any, target: CloudTarget) -> bool:
    """Make sure the bucket keeps every version of a key; True when Shoebox had to turn versioning on.

    Raises :class:`CloudError` when versioning is suspended by the bucket's owner, cannot be
    turned on, or the store says it is on but a probe key written twice keeps one version.
    """
    bucket = target.bucket
    try:
        status = client.get_bucket_versioning(Bucket=bucket).get("Status")
    except Exception as exc:
        raise _no_versioning(target, exc) from exc
    if status == "Suspended":
        raise CloudError(
            f"versioning is suspended on bucket '{bucket}': with it off, two guests' files of one name overwrite "
            "each other, so Shoebox makes no upload link here. Turn it on again (e.g. `aws s3api "
            f"put-bucket-versioning --bucket {bucket} --versioning-configuration Status=Enabled`) or use another bucket"
        )  # fmt: skip
    turned_on = status != "Enabled"
    if turned_on:
        try:
            client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        except Exception as exc:
            raise _no_versioning(target, exc) from exc
    _prove_versioning(client, target)
    return turned_on


def _prove_versioning(client: Any, target: CloudTarget) -> None:
    """Write one probe key twice and check both versions are kept (then delete them)."""
    key = inbox_prefix(target, ".versioning-probe-" + secrets.token_hex(4)).rstrip("/")
    try:
        for body in (b"first", b"second"):
            client.put_object(Bucket=target.bucket, Key=key, Body=body)
        versions = client.list_object_versions(Bucket=target.bucket, Prefix=key).get("Versions", []) or []
        ids = {v.get("VersionId") for v in versions if v.get("Key") == key} - {None, "null"}
    except Exception as exc:
        raise _no_versioning(target, exc) from exc
    finally:
        _delete_all_versions(client, target.bucket, key)
    if len(ids) < 2:
        raise _no_versioning(target, None)


def _delete_all_versions(client: Any, bucket: str, key: str) -> None:
    try:
        answer = client.list_object_versions(Bucket=bucket, Prefix=key)
        entries = (answer.get("Versions", []) or []) + (answer.get("DeleteMarkers", []) or [])
        for entry in entries:
            if entry.get("Key") == key:
                client.delete_object(Bucket=bucket, Key=key, VersionId=entry["VersionId"])
    except Exception:  # best effort: a 6-byte probe left behind loses nothing
        pass


def _no_versioning(target: CloudTarget, exc: BaseException | None) -> CloudError:
    reason = f" ({error_code(exc) or explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)})" if exc else ""
    return CloudError(
        f"the bucket '{target.bucket}' cannot keep versions of a file, or these credentials may not turn that on{reason}: "
        "without versions, two guests' files of one "
        "name overwrite each other, so Shoebox makes no upload link here. Use a store with S3 versioning "
        "(AWS S3, SeaweedFS, MinIO on erasure-coded drives…)"
    )  # fmt: skip


def create_collect(library: Library, target: CloudTarget, *, album: str, expires: int,
                   max_bytes: int = MAX_FILE, max_total: int = MAX_TOTAL,
                   client: Any = None) -> tuple[ShareLinks, dict[str, Any], bool]:  # fmt: skip
    """Create a contributor inbox for ``album``: the upload page link, the raw presigned POST, and
    whether bucket versioning had to be turned on for it."""
    if max_total < max_bytes:
        max_bytes = max_total
    created, deadline = utc_now(), share_deadline(expires)  # fixed before any upload; every link ends at it
    client = client or make_client(target)
    check_access(client, target)
    versioning_turned_on = ensure_versioning(client, target)
    share_id = new_share_id()
    share = Share(share_id, target.url, "collect", album, album, share_prefix(target, share_id) + PAGE_NAME,
                  iso(created), iso(deadline), True, None, "active", max_file_bytes=max_bytes,
                  max_total_bytes=max_total)  # fmt: skip
    try:
        post = presigned_post(client, target, share_id, seconds_until(deadline), max_bytes)
        page = upload_html(album, post["url"], post["fields"], share.expires_at.replace("T", " ").replace("Z", " UTC"),
                           max_bytes, max_total)  # fmt: skip
        client.put_object(Bucket=target.bucket, Key=share.page_key, Body=page.encode("utf-8"),
                          ContentType="text/html; charset=utf-8", CacheControl="private, no-store")  # fmt: skip
    except CloudError:
        raise
    except Exception as exc:
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc
    save_share(library.db, share)
    return ShareLinks(share, presign_get(client, target.bucket, share.page_key, deadline)), post, versioning_turned_on
