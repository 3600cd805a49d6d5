"""``shoebox cloud verify``: every catalogued photo has its object, whole and unchanged.

The quick check lists the objects once and compares each one's size and ETag with what
was recorded when it was uploaded (and checked against the bytes sent); ``deep``
downloads every object and re-hashes it. Objects found missing or damaged go back to the
upload queue, so the next ``shoebox backup`` repairs the bucket.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from core.catalog.photos import iter_photos
from core.cloud import ledger
from core.cloud.client import check_access, make_client
from core.cloud.download import CHUNK
from core.cloud.errors import error_code
from core.cloud.keys import objects_prefix
from core.cloud.target import CloudTarget
from core.library import Library


@dataclass(slots=True)
class VerifyIssue:
    sha256: str
    key: str
    path: str | None
    problem: str  # not backed up | missing | wrong size | changed | checksum mismatch

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class VerifyReport:
    target: str
    deep: bool = False
    photos: int = 0
    contents: int = 0
    ok: int = 0
    not_backed_up: int = 0
    missing: int = 0
    damaged: int = 0
    requeued: int = 0
    bytes_checked: int = 0
    elapsed: float = 0.0
    issues: list[VerifyIssue] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return self.missing == 0 and self.damaged == 0 and self.not_backed_up == 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["healthy"] = self.healthy
        return data


def list_objects(client: Any, target: CloudTarget) -> dict[str, tuple[int, str]]:
    """Every object under the target's objects prefix: key → (size, ETag)."""
    found: dict[str, tuple[int, str]] = {}
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=target.bucket, Prefix=objects_prefix(target)):
        for obj in page.get("Contents", []) or []:
            found[obj["Key"]] = (int(obj["Size"]), str(obj.get("ETag", "")).strip('"'))
    return found


def verify_backup(
    library: Library,
    target: CloudTarget,
    *,
    query: str = "",
    deep: bool = False,
    client: Any = None,
    requeue: bool = True,
    concurrency: int = 4,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> VerifyReport:
    """Check the bucket against the catalog (present photos matching ``query`` and their sidecars)."""
    started = time.monotonic()
    client = client or make_client(target, max_connections=concurrency + 2)
    check_access(client, target)
    report = VerifyReport(target.url, deep=deep)
    paths: dict[str, str] = {}
    for photo in iter_photos(library.db, query):
        report.photos += 1
        paths.setdefault(photo.sha256, photo.path)
    records = {obj.sha256: obj for obj in ledger.uploaded(library.db, target.url)}
    if not query:  # sidecars belong to the whole library's check
        for obj in records.values():
            if obj.kind == "sidecar":
                paths.setdefault(obj.sha256, obj.source_path or obj.key)
    report.contents = len(paths)
    listing = list_objects(client, target)
    to_hash: list[ledger.CloudObject] = []
    ok: list[str] = []
    for sha, path in paths.items():
        obj = records.get(sha)
        if obj is None:
            state = ledger.get(library.db, target.url, sha)
            report.not_backed_up += 1
            report.issues.append(VerifyIssue(sha, state.key if state else "", path, "not backed up"))
            continue
        listed = listing.get(obj.key)
        problem = None
        if listed is None:
            problem = "missing"
        elif listed[0] != obj.size:
            problem = "wrong size"
        elif obj.etag and listed[1] and listed[1] != obj.etag:
            problem = "changed"
        if problem:
            _flag(library, target, report, obj, path, problem, requeue)
        elif deep:
            to_hash.append(obj)
        else:
            ok.append(sha)
    if to_hash:
        done = [0]
        lock = threading.Lock()

        def check(obj: ledger.CloudObject) -> tuple[ledger.CloudObject, str | None]:
            if cancel is not None and cancel.is_set():
                return obj, None
            problem = _hash_problem(client, target, obj)
            with lock:
                done[0] += 1
                report.bytes_checked += obj.size
                if progress:
                    progress(done[0], len(to_hash))
            return obj, problem

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for obj, problem in pool.map(check, to_hash):
                if problem is None:
                    ok.append(obj.sha256)
                else:
                    _flag(library, target, report, obj, paths.get(obj.sha256), problem, requeue)
    if not query:
        _check_manifest(library, client, target, report)
    report.ok = len(ok)
    ledger.mark_verified(library.db, target.url, ok)
    report.elapsed = time.monotonic() - started
    return report


def _flag(library: Library, target: CloudTarget, report: VerifyReport, obj: ledger.CloudObject, path: str | None,
          problem: str, requeue: bool) -> None:  # fmt: skip
    if problem == "missing":
        report.missing += 1
    else:
        report.damaged += 1
    report.issues.append(VerifyIssue(obj.sha256, obj.key, path, problem))
    if requeue:
        ledger.requeue(library.db, target.url, obj.sha256, f"{ledger.VERIFY_REASON}object {problem}")
        report.requeued += 1


def _hash_problem(client: Any, target: CloudTarget, obj: ledger.CloudObject) -> str | None:
    """Download and hash one object: None when it is whole, else what is wrong."""
    digest = hashlib.sha256()
    size = 0
    try:
        body = client.get_object(Bucket=target.bucket, Key=obj.key)["Body"]
        while chunk := body.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    except Exception as exc:
        if error_code(exc) in ("NoSuchKey", "404"):
            return "missing"
        return f"unreadable ({type(exc).__name__})"
    return None if size == obj.size and digest.hexdigest() == obj.sha256 else "checksum mismatch"


def _check_manifest(library: Library, client: Any, target: CloudTarget, report: VerifyReport) -> None:
    """The manifest must be there for a rebuild; when it is not, the next backup writes it again."""
    from core.cloud.keys import manifest_key
    from core.cloud.manifest import forget_published

    key = manifest_key(target)
    try:
        client.head_object(Bucket=target.bucket, Key=key)
    except Exception as exc:
        if error_code(exc) not in ("404", "NoSuchKey", "NotFound"):
            raise
        if ledger.summary(library.db, target.url).get("uploaded"):
            report.missing += 1
            report.issues.append(VerifyIssue("", key, None, "manifest missing"))
            forget_published(library, target.url)
