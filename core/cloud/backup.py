"""``shoebox backup``: queue what is not in the bucket yet, upload it, write the manifest.

The queue is the catalog's ``cloud_objects`` table, so a run killed at any moment (kill -9,
a reboot, the network gone) resumes on the next run: uploaded content is never sent again,
an interrupted multipart upload continues from the parts the server acknowledged, and
multipart uploads nobody will finish are aborted so they do not cost storage forever.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.catalog.photos import count_photos
from core.catalog.query import parse_query
from core.cloud import ledger
from core.cloud.client import check_access, make_client
from core.cloud.errors import CloudError, CredentialsError, error_code, explain, is_retryable, is_unreachable
from core.cloud.keys import object_key, objects_prefix, sha_of_key
from core.cloud.progress import BackupProgress, BackupStats
from core.cloud.retry import Cancelled
from core.cloud.target import CloudTarget, TransferSettings
from core.cloud.throttle import RateLimiter
from core.cloud.upload import (
    ContentChanged,
    IntegrityError,
    UploadContext,
    abort_upload,
    matches,
    remote_object,
    upload,
)
from core.library import Library
from core.progress import ProgressReporter
from core.xmp.paths import sidecars_in_folder

log = logging.getLogger("shoebox.cloud")
ProgressCallback = Callable[[BackupProgress], None]

#: Multipart uploads under our prefix that no catalog knows are aborted after this long.
ORPHAN_AGE = timedelta(hours=24)
#: An item that failed its checks this many times leaves the queue as 'failed'.
MAX_ATTEMPTS = 3


@dataclass(slots=True)
class PlannedItem:
    sha256: str
    kind: str
    key: str
    size: int
    source_path: str | None


@dataclass(slots=True)
class Plan:
    """What a backup of a query would upload (distinct contents not yet in the bucket)."""

    photos: int = 0
    already: int = 0
    items: list[PlannedItem] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(item.size for item in self.items)


def plan_backup(library: Library, target: CloudTarget, query: str = "", *, sidecars: bool = True) -> Plan:
    """Distinct contents of the matching present photos (and their XMP sidecars) not yet uploaded or queued.

    Done in SQL and folder by folder, so planning a million photos holds no photo rows in memory.
    """
    db = library.db
    parsed = parse_query(query)
    plan = Plan(photos=count_photos(db, parsed), already=ledger.count_uploaded_contents(db, target.url, parsed))
    plan.items = [PlannedItem(sha, "original", object_key(target, sha), size, None)
                  for sha, size in ledger.contents_to_upload(db, target.url, parsed)]  # fmt: skip
    if sidecars:
        seen = {item.sha256 for item in plan.items}
        for folder, names in ledger.photo_names_by_folder(db, parsed):
            for path in sidecars_in_folder(folder, names):
                _plan_sidecar(library, target, path, seen, plan)
    return plan


def _plan_sidecar(library: Library, target: CloudTarget, path: str, seen: set[str], plan: Plan) -> None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        log.warning("cannot read the sidecar %s: %s", path, exc.strerror or exc)
        return
    sha = hashlib.sha256(data).hexdigest()
    if sha in seen:
        return
    seen.add(sha)
    existing = ledger.get(library.db, target.url, sha)
    if existing is not None and existing.state in ("uploaded", "queued"):
        return
    plan.items.append(PlannedItem(sha, "sidecar", object_key(target, sha), len(data), path))


def enqueue_backup(library: Library, target: CloudTarget, query: str = "", *, sidecars: bool = True) -> int:
    """Queue what a backup would upload, without contacting the server (uploads wait for later)."""
    plan = plan_backup(library, target, query, sidecars=sidecars)
    return ledger.enqueue(
        library.db, target.url, ((i.sha256, i.kind, i.key, i.size, i.source_path) for i in plan.items)
    )


class _Reporter(ProgressReporter[BackupProgress]):
    """Backup progress; bytes arrive from several upload threads."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        super().__init__(BackupProgress("planning"), callback, interval=0.2)

    def add_bytes(self, size: int) -> None:
        with self.lock:
            self.state.bytes_done += size
        self.report()


def run_backup(
    library: Library,
    target: CloudTarget,
    *,
    query: str = "",
    settings: TransferSettings | None = None,
    client: Any = None,
    dry_run: bool = False,
    sidecars: bool = True,
    write_manifest: bool = True,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    stop_at: float | None = None,
) -> BackupStats:
    """Queue the matching photos not in the bucket, then upload the whole queue.

    ``stop_at`` (a ``time.monotonic()`` instant) stops taking new items then (upload
    windows); ``cancel`` stops at the next request boundary. Either way what is left
    stays queued for the next run. Raises :class:`~core.cloud.errors.CloudError` when the
    target cannot be used at all (no credentials, wrong credentials, no bucket).
    """
    started = time.monotonic()
    settings = settings or TransferSettings()
    cancel = cancel or threading.Event()
    stats = BackupStats(target=target.url, dry_run=dry_run)
    reporter = _Reporter(progress)
    plan = plan_backup(library, target, query, sidecars=sidecars)
    stats.photos, stats.already_backed_up = plan.photos, plan.already
    stats.contents = plan.already + len(plan.items)
    stats.bytes_planned = plan.bytes
    if dry_run:
        stats.elapsed = time.monotonic() - started
        return stats
    stats.queued = ledger.enqueue(
        library.db, target.url, ((i.sha256, i.kind, i.key, i.size, i.source_path) for i in plan.items)
    )
    with backup_lock(library.directory):
        _upload_queue(library, target, settings, client, cancel, stop_at, write_manifest, stats, reporter)
    stats.elapsed = time.monotonic() - started
    reporter.state.phase = "done"
    reporter.report(force=True)
    return stats


@contextmanager
def backup_lock(library_dir: Path) -> Iterator[None]:
    """One uploader per library at a time (a manual backup and `watch --backup` would race)."""
    import fcntl

    path = Path(library_dir) / "cloud-backup.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CloudError(
                f"another backup of this library is running (pid {holder}); try again when it ends"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _upload_queue(library: Library, target: CloudTarget, settings: TransferSettings, client: Any,
                  cancel: threading.Event, stop_at: float | None, write_manifest: bool, stats: BackupStats,
                  reporter: _Reporter) -> None:  # fmt: skip
    """Upload everything queued for ``target`` (not only this run's plan), then the manifest."""
    client = client or make_client(target, max_connections=settings.concurrency + 4)
    check_access(client, target)
    limiter = RateLimiter(settings.bandwidth) if settings.bandwidth else None
    ctx = UploadContext(client, target, library.db, settings, cancel, limiter, on_bytes=reporter.add_bytes)
    queue = ledger.queued(library.db, target.url)
    stats.aborted_uploads = clean_multipart(ctx, {item.sha256 for item in queue})
    reporter.state.phase = "uploading"
    reporter.state.files_total = len(queue)
    reporter.state.bytes_total = sum(item.size for item in queue)
    reporter.report(force=True)
    _upload_all(ctx, queue, stats, reporter, stop_at)
    stats.bytes_uploaded = ctx.counters.bytes_sent
    stats.bytes_resumed = ctx.counters.bytes_skipped
    stats.parts_sent, stats.parts_resumed = ctx.counters.parts_sent, ctx.counters.parts_skipped
    stats.cancelled = cancel.is_set()
    stats.remaining = len(ledger.queued(library.db, target.url))
    if write_manifest and not stats.cancelled and stats.stopped is None:
        from core.cloud.manifest import publish_manifest

        reporter.state.phase = "manifest"
        reporter.report(force=True)
        try:
            stats.manifest = publish_manifest(ctx, library)
        except Exception as exc:  # the uploads stand; the manifest is rewritten next run
            stats.errors.append(f"the manifest could not be written: {explain(exc)}")
        from core.cloud.catalog_snapshot import publish_snapshot

        try:
            stats.catalog_snapshot = publish_snapshot(ctx, library)
        except Exception as exc:  # the photos are safe; the snapshot goes up with the next run
            stats.errors.append(f"the catalog snapshot could not be uploaded: {explain(exc)}")


def _upload_all(ctx: UploadContext, queue: list[ledger.CloudObject], stats: BackupStats, reporter: _Reporter,
                stop_at: float | None) -> None:  # fmt: skip
    """Upload the queue with ``settings.concurrency`` threads (one file per thread at a time)."""
    items = iter(queue)
    lock = threading.Lock()
    unreachable = [0]
    stop = threading.Event()

    def next_item() -> ledger.CloudObject | None:
        with lock:
            if ctx.cancel.is_set() or stop.is_set() or (stop_at is not None and time.monotonic() >= stop_at):
                return None
            return next(items, None)

    def worker() -> None:
        while (item := next_item()) is not None:
            reporter.state.current = item.source_path or item.key
            outcome, message = upload_item(ctx, item)
            with lock:
                if outcome == "uploaded":
                    stats.uploaded += 1
                elif outcome == "found":
                    stats.found_in_bucket += 1
                elif outcome == "failed":
                    stats.failed += 1
                    reporter.state.failed += 1
                if message and len(stats.errors) < 50:
                    stats.errors.append(message)
                unreachable[0] = unreachable[0] + 1 if outcome == "unreachable" else 0
                if unreachable[0] >= max(3, ctx.settings.concurrency):
                    stats.stopped = f"stopped: {message}; what is left stays queued for the next run"
                    stop.set()
                if outcome == "denied":
                    stats.stopped = message
                    stop.set()
            with reporter.lock:
                reporter.state.files_done += 1
            reporter.report()

    threads = [threading.Thread(target=worker, name=f"upload-{n}", daemon=True)
               for n in range(min(ctx.settings.concurrency, max(1, len(queue))))]  # fmt: skip
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)
    except BaseException:
        ctx.cancel.set()
        for thread in threads:
            thread.join()
        raise


def upload_item(ctx: UploadContext, item: ledger.CloudObject) -> tuple[str, str | None]:
    """Upload one queued content; returns (outcome, message) and records it in the catalog.

    Outcomes: uploaded, found (already in the bucket), failed (left the queue), retry
    (stays queued), unreachable (stays queued; the server is away), denied, cancelled.
    """
    target, db = ctx.target.url, ctx.db
    sources = (
        [item.source_path] if item.kind == "sidecar" and item.source_path else ledger.present_copies(db, item.sha256)
    )
    # An object verify found damaged is replaced even if its size and metadata look right
    # (and stays marked so until it is, whatever goes wrong meanwhile).
    replace = (item.error or "").startswith(ledger.VERIFY_REASON)

    def note(attempt_error: str, *, failed: bool) -> None:
        text = ledger.VERIFY_REASON + attempt_error if replace else attempt_error
        ledger.record_attempt(db, target, item.sha256, text, failed=failed)

    try:
        head = None if replace else remote_object(ctx, item.key)
        if matches(head, item.sha256, item.size):
            ledger.mark_uploaded(db, target, item.sha256, str(head.get("ETag", "")).strip('"'))  # type: ignore[union-attr]
            return "found", None
        if not sources:
            note("no copy of this content is on disk any more", failed=True)
            return "failed", f"{item.sha256[:12]}: no copy of this content is on disk any more"
        problem: Exception | None = None
        for source in sources:
            try:
                etag = upload(ctx, item, source)
            except (ContentChanged, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
                problem = exc
                continue
            ledger.mark_uploaded(db, target, item.sha256, etag)
            return "uploaded", None
        reason = _describe(problem, sources[-1])
        note(reason, failed=True)
        return "failed", reason
    except Cancelled:
        return "cancelled", None
    except Exception as exc:
        error = exc if isinstance(exc, IntegrityError) else explain(exc, bucket=ctx.target.bucket,
                                                                    endpoint=ctx.target.endpoint_url)  # fmt: skip
        if isinstance(error, CredentialsError):
            note(str(error), failed=False)
            return "denied", str(error)
        if is_unreachable(exc) or is_retryable(exc):  # the network or the server: never gives up on the item
            note(str(error), failed=False)
            return "unreachable", str(error)
        failed = item.attempts + 1 >= MAX_ATTEMPTS  # anything else: a few tries, then it leaves the queue
        note(str(error), failed=failed)
        return ("failed" if failed else "retry"), f"{item.key}: {error}"


def _describe(exc: Exception | None, path: str) -> str:
    if isinstance(exc, ContentChanged):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return f"{path}: the file is gone (run `shoebox index`)"
    if isinstance(exc, PermissionError):
        return f"{path}: permission denied"
    return f"{path}: {exc}"


def clean_multipart(ctx: UploadContext, queued: set[str]) -> int:
    """Abort multipart uploads that will never be completed; returns how many were aborted.

    Kept: the uploads this catalog is resuming. Aborted: uploads the catalog began for
    content no longer queued, and unknown uploads under our prefix for queued content
    (a kill between starting an upload and recording it) or older than a day.
    """
    db, target = ctx.db, ctx.target.url
    known = ledger.all_multipart(db, target)
    aborted = 0
    for sha, upload_id in known.items():
        if sha not in queued:
            item = ledger.get(db, target, sha)
            abort_upload(ctx, item.key if item else object_key(ctx.target, sha), upload_id)
            ledger.forget_multipart(db, target, sha)
            aborted += 1
    now = datetime.now(UTC)
    for upload_info in list_uploads(ctx):
        key, upload_id = upload_info["Key"], upload_info["UploadId"]
        sha = sha_of_key(key)
        if known.get(sha) == upload_id and sha in queued:
            continue
        initiated = upload_info.get("Initiated")
        old = isinstance(initiated, datetime) and now - initiated > ORPHAN_AGE
        if sha in queued or old:
            abort_upload(ctx, key, upload_id)
            aborted += 1
    return aborted


def list_uploads(ctx: UploadContext) -> list[dict[str, Any]]:
    """Multipart uploads in progress under the target's objects prefix."""
    uploads: list[dict[str, Any]] = []
    params: dict[str, Any] = {"Bucket": ctx.target.bucket, "Prefix": objects_prefix(ctx.target)}
    while True:
        try:
            answer = ctx.call("list uploads", lambda p=dict(params): ctx.client.list_multipart_uploads(**p))
        except Exception as exc:
            if error_code(exc) in ("NotImplemented", "501"):
                return uploads
            raise
        uploads.extend(answer.get("Uploads", []) or [])
        if not answer.get("IsTruncated"):
            return uploads
        params["KeyMarker"] = answer.get("NextKeyMarker", "")
        params["UploadIdMarker"] = answer.get("NextUploadIdMarker", "")
