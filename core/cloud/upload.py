"""Uploading one piece of content: a single PUT or a resumable multipart upload, then proof.

Every request carries Content-MD5 (the server rejects damaged bodies) and every object
carries its sha256 in metadata. The bytes are hashed as they are read, so content that no
longer matches the catalog (the file was edited since it was indexed) is never stored
under the old key. After the upload a HEAD checks size, sha256 metadata and ETag.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.catalog.db import Database
from core.cloud import ledger
from core.cloud.errors import error_code
from core.cloud.retry import Backoff, Cancelled, with_retries
from core.cloud.target import CloudTarget, TransferSettings
from core.cloud.throttle import RateLimiter, ThrottledBody

log = logging.getLogger("shoebox.cloud")
SHA_META = "sha256"


class ContentChanged(Exception):
    """The file's bytes are no longer the catalogued content (edited or replaced since indexing)."""


class IntegrityError(Exception):
    """The server stored something other than what was sent (size, checksum or ETag differ)."""


@dataclass
class TransferCounters:
    """Bytes and parts moved by a run (shared by the worker threads)."""

    bytes_sent: int = 0
    bytes_skipped: int = 0  # parts the server already had (resumed uploads)
    parts_sent: int = 0
    parts_skipped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sent(self, size: int, *, part: bool) -> None:
        with self.lock:
            self.bytes_sent += size
            self.parts_sent += int(part)

    def skipped(self, size: int) -> None:
        with self.lock:
            self.bytes_skipped += size
            self.parts_skipped += 1


@dataclass
class UploadContext:
    """What every upload of one run shares."""

    client: Any
    target: CloudTarget
    db: Database
    settings: TransferSettings
    cancel: threading.Event = field(default_factory=threading.Event)
    limiter: RateLimiter | None = None
    backoff: Backoff = field(default_factory=Backoff)
    counters: TransferCounters = field(default_factory=TransferCounters)
    on_bytes: Callable[[int], None] | None = None

    def call(self, what: str, fn: Callable[[], Any]) -> Any:
        if self.cancel.is_set():
            raise Cancelled(what)
        return with_retries(fn, what=what, backoff=self.backoff, cancel=self.cancel)

    def body(self, data: bytes) -> Any:
        return ThrottledBody(data, self.limiter, self.cancel) if self.limiter else data

    def progressed(self, size: int) -> None:
        if self.on_bytes is not None:
            self.on_bytes(size)


def b64md5(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


def content_type(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def remote_object(ctx: UploadContext, key: str) -> dict[str, Any] | None:
    """HEAD of ``key`` (None when there is no such object)."""

    def head() -> dict[str, Any] | None:
        try:
            return ctx.client.head_object(Bucket=ctx.target.bucket, Key=key)
        except Exception as exc:
            if error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    return ctx.call(f"HEAD {key}", head)


def matches(head: dict[str, Any] | None, sha256: str, size: int) -> bool:
    """True when a HEAD answer describes exactly this content."""
    return (
        head is not None
        and int(head.get("ContentLength", -1)) == size
        and head.get("Metadata", {}).get(SHA_META) == sha256
    )


def upload(ctx: UploadContext, item: ledger.CloudObject, source: str) -> str:
    """Upload ``source`` as ``item`` and check it; returns the object's ETag."""
    if item.size > ctx.settings.multipart_threshold:
        etag = _multipart(ctx, item, source)
    else:
        etag = _single(ctx, item, source)
    head = remote_object(ctx, item.key)
    if not matches(head, item.sha256, item.size):
        raise IntegrityError(f"after upload, {item.key} does not have the expected size and sha256")
    return etag


def _read_exact(path: str, expected_size: int) -> bytes:
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size != expected_size:
            raise ContentChanged(f"{path} changed size since it was indexed (run `shoebox index`)")
        return handle.read()


def _single(ctx: UploadContext, item: ledger.CloudObject, source: str) -> str:
    data = _read_exact(source, item.size)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        raise ContentChanged(f"{source} changed since it was indexed (run `shoebox index`)")
    md5 = hashlib.md5(data)

    def put() -> dict[str, Any]:
        return ctx.client.put_object(
            Bucket=ctx.target.bucket, Key=item.key, Body=ctx.body(data), ContentLength=len(data),
            ContentMD5=b64md5(md5.digest()), ContentType=content_type(source), Metadata={SHA_META: item.sha256},
        )  # fmt: skip

    log.debug("sending part 1 of %s", item.key)
    answer = ctx.call(f"PUT {item.key}", put)
    etag = str(answer.get("ETag", "")).strip('"')
    if _looks_like_md5(etag) and etag != md5.hexdigest():
        raise IntegrityError(f"the server's checksum of {item.key} differs from what was sent")
    ctx.counters.sent(len(data), part=False)
    ctx.progressed(len(data))
    return etag


def _looks_like_md5(etag: str) -> bool:
    return len(etag) == 32 and all(c in "0123456789abcdef" for c in etag)


def _multipart(ctx: UploadContext, item: ledger.CloudObject, source: str) -> str:
    """Send the parts the server does not have yet, hashing the whole file on the way."""
    bucket, key = ctx.target.bucket, item.key
    state, server_parts = _open_multipart(ctx, item)
    whole = hashlib.sha256()
    part_md5s: list[bytes] = []
    completed: list[dict[str, Any]] = []
    with open(source, "rb") as handle:
        if os.fstat(handle.fileno()).st_size != item.size:
            raise ContentChanged(f"{source} changed size since it was indexed (run `shoebox index`)")
        number = 0
        while True:
            chunk = handle.read(state.part_size)
            if not chunk and number > 0:
                break
            number += 1
            whole.update(chunk)
            md5 = hashlib.md5(chunk)
            part_md5s.append(md5.digest())
            have = server_parts.get(number)
            if have is not None and have == (md5.hexdigest(), len(chunk)):
                if number not in state.parts:
                    ledger.record_part(ctx.db, ctx.target.url, item.sha256, number, have[0], len(chunk))
                ctx.counters.skipped(len(chunk))
                ctx.progressed(len(chunk))
            else:
                _send_part(ctx, item, state.upload_id, number, chunk, md5)
            completed.append({"PartNumber": number, "ETag": f'"{md5.hexdigest()}"'})
            if len(chunk) < state.part_size:
                break
    if whole.hexdigest() != item.sha256:
        abort_upload(ctx, key, state.upload_id)
        ledger.forget_multipart(ctx.db, ctx.target.url, item.sha256)
        raise ContentChanged(f"{source} changed since it was indexed (run `shoebox index`)")
    expected = hashlib.md5(b"".join(part_md5s)).hexdigest() + f"-{len(part_md5s)}"

    def complete() -> dict[str, Any]:
        try:
            return ctx.client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=state.upload_id, MultipartUpload={"Parts": completed}
            )
        except Exception as exc:
            # A retried completion whose first try went through: the upload id is gone, the object is there.
            if error_code(exc) == "NoSuchUpload" and matches(remote_object(ctx, key), item.sha256, item.size):
                return {"ETag": expected}
            raise

    answer = ctx.call(f"complete {key}", complete)
    etag = str(answer.get("ETag", "")).strip('"')
    if "-" in etag and etag != expected:
        raise IntegrityError(f"the server's multipart checksum of {key} differs from what was sent")
    return etag


def _open_multipart(
    ctx: UploadContext, item: ledger.CloudObject
) -> tuple[ledger.Multipart, dict[int, tuple[str, int]]]:
    """Resume this content's multipart upload (parts the server lists), or begin one."""
    target = ctx.target.url
    state = ledger.get_multipart(ctx.db, target, item.sha256)
    if state is not None:
        try:
            listed = list_parts(ctx, item.key, state.upload_id)
            log.info("resuming %s: the server has %d parts", item.key, len(listed))
            return state, listed
        except Exception as exc:
            if error_code(exc) not in ("NoSuchUpload", "404"):
                raise
            log.info("the interrupted upload of %s is gone from the server; starting again", item.key)
            ledger.forget_multipart(ctx.db, target, item.sha256)
    answer = ctx.call(
        f"begin {item.key}",
        lambda: ctx.client.create_multipart_upload(
            Bucket=ctx.target.bucket,
            Key=item.key,
            Metadata={SHA_META: item.sha256},
            ContentType=content_type(item.source_path or item.key),
        ),  # fmt: skip
    )
    upload_id = answer["UploadId"]
    part_size = part_size_for(item.size, ctx.settings.part_size)
    ledger.begin_multipart(ctx.db, target, item.sha256, upload_id, part_size)
    return ledger.Multipart(upload_id, part_size, {}), {}


def part_size_for(size: int, wanted: int, max_parts: int = 9000) -> int:
    """``wanted``, grown in whole MiB when the file would need more than ``max_parts`` parts (S3 allows 10,000)."""
    mib = 1024 * 1024
    needed = -(-size // max_parts)
    return max(wanted, -(-needed // mib) * mib)


def list_parts(ctx: UploadContext, key: str, upload_id: str) -> dict[int, tuple[str, int]]:
    """Every part the server holds for an upload: number → (md5 etag, size)."""
    parts: dict[int, tuple[str, int]] = {}
    marker = 0
    while True:
        answer = ctx.call(
            f"list parts of {key}",
            lambda m=marker: ctx.client.list_parts(
                Bucket=ctx.target.bucket, Key=key, UploadId=upload_id, PartNumberMarker=m
            ),
        )
        for part in answer.get("Parts", []):
            parts[int(part["PartNumber"])] = (str(part["ETag"]).strip('"'), int(part["Size"]))
        if not answer.get("IsTruncated"):
            return parts
        marker = int(answer.get("NextPartNumberMarker") or max(parts, default=0))


def _send_part(ctx: UploadContext, item: ledger.CloudObject, upload_id: str, number: int, chunk: bytes,
               md5: Any) -> None:  # fmt: skip
    def send() -> dict[str, Any]:
        return ctx.client.upload_part(
            Bucket=ctx.target.bucket, Key=item.key, UploadId=upload_id, PartNumber=number,
            Body=ctx.body(chunk), ContentLength=len(chunk), ContentMD5=b64md5(md5.digest()),
        )  # fmt: skip

    log.debug("sending part %d of %s", number, item.key)
    answer = ctx.call(f"part {number} of {item.key}", send)
    etag = str(answer.get("ETag", "")).strip('"')
    if _looks_like_md5(etag) and etag != md5.hexdigest():
        raise IntegrityError(f"the server's checksum of part {number} of {item.key} differs from what was sent")
    ledger.record_part(ctx.db, ctx.target.url, item.sha256, number, md5.hexdigest(), len(chunk))
    ctx.counters.sent(len(chunk), part=True)
    ctx.progressed(len(chunk))


def abort_upload(ctx: UploadContext, key: str, upload_id: str) -> None:
    """Abort a multipart upload so its parts stop costing storage (gone already is fine)."""
    try:
        ctx.call(f"abort {key}", lambda: ctx.client.abort_multipart_upload(
            Bucket=ctx.target.bucket, Key=key, UploadId=upload_id))  # fmt: skip
    except Exception as exc:
        if error_code(exc) not in ("NoSuchUpload", "404"):
            raise
