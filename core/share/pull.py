"""``shoebox share pull``: contributed photos into the library, through the normal import path.

An inbox is read **by object version**: two guests who both sent ``IMG_0001.JPG`` left two
versions of one key (see ``collect.py``), and each is a contribution of its own. Each is
downloaded by version and hashed; content the library already has (or that an earlier
version in this pull brought) is not written again, it only joins the album; new content is
placed in the inbox folder without overwriting anything (``IMG_0001-2.JPG`` …), indexed like
any other file, and added to the album. A pulled version is then deleted from the bucket.

What pull rejects — not a photo or video, above the link's per-file cap, past its total
cap, unreadable after download — is remembered in the catalog by version, left in the
inbox, and never downloaded again. Reaching the total removes the upload page.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.catalog.identity import lies_within
from core.catalog.photos import get_photo_by_path
from core.catalog.roots import RootError, add_root, list_roots, normalise_root
from core.cloud.client import check_access, make_client
from core.cloud.download import CHUNK
from core.cloud.errors import CloudError, error_code, explain
from core.cloud.keys import inbox_prefix
from core.cloud.target import CloudTarget
from core.collections import add_to_album_named
from core.indexing.indexer import index_library
from core.library import Library
from core.media.formats import is_media_name
from core.share.store import Contribution, Share, known_contributions, list_shares, record_contributions

#: A store that lists no versions: an object is known by its ETag instead (``etag:…``), so
#: a file written again under the same key is a new contribution. (S3's own "null" version,
#: of objects written before versioning was on, is a real version id.)
ETAG_ID = "etag:"
PAST_TOTAL = "past the link's total"


@dataclass(slots=True)
class PullStats:
    shares: int = 0
    downloaded: int = 0
    imported: int = 0  # new photos catalogued
    duplicates: int = 0  # content the library already had
    rejected: list[str] = field(default_factory=list)  # keys rejected by this pull, left in the inbox
    rejections: list[dict[str, str]] = field(default_factory=list)  # the same, with version id and reason
    rejected_before: int = 0  # rejected by an earlier pull: not downloaded again
    failed: list[str] = field(default_factory=list)
    albums: dict[str, int] = field(default_factory=dict)
    closed: list[str] = field(default_factory=list)  # shares whose upload page was removed at the total cap
    folder: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class InboxVersion:
    """One object version in an inbox, as the store lists it."""

    key: str
    version_id: str  # "etag:…" when the store lists no versions
    size: int
    modified: str


def default_inbox() -> Path:
    from platformdirs import user_pictures_dir

    return Path(user_pictures_dir()) / "Shoebox Inbox"


def safe_name(name: str) -> str:
    """A file name without folders or characters that trouble file systems."""
    name = os.path.basename(name.replace("\\", "/")).strip().lstrip(".")
    name = re.sub(r'[\x00-\x1f<>:"|?*/]', "_", name)
    return name[:200] or "contribution"


@dataclass(slots=True)
class _Pending:
    share: Share
    version: InboxVersion
    name: str
    sha: str
    path: Path | None = None  # placed in the inbox folder (new content)
    photo_id: int = -1  # already in the library (duplicate)


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
    pending: list[_Pending] = []
    for share in shares:
        try:
            pending.extend(_fetch_share(library, client, target, share, folder, known, stats))
        except Exception as exc:  # listing the inbox failed: the other inboxes still come in
            stats.failed.append(f"share {share.id}: {explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)}")
    placed = [p for p in pending if p.path is not None]
    if placed:
        index_library(library, [_root_for(library, folder)], workers=workers)
    outcomes: list[Contribution] = []
    for item in pending:
        album = item.share.album or item.share.title
        version = item.version
        if item.path is not None:
            photo = get_photo_by_path(library.db, str(item.path))
            if photo is None:  # unreadable: index recorded it as a problem; the contribution stays in the inbox
                reason = "could not be read as a photo or video (see `shoebox problems`)"
                stats.failed.append(f"{version.key}: {reason}")
                _reject(stats, outcomes, item.share, version, item.name, reason, item.sha)
                continue
            stats.imported += 1
            outcome, photo_id = "imported", photo.id
        else:
            stats.duplicates += 1
            outcome = "duplicate"
            photo_id = item.photo_id if item.photo_id >= 0 else _present_by_sha(library).get(item.sha, -1)
        if photo_id >= 0:
            add_to_album_named(library.db, album, [photo_id])
        stats.albums[album] = stats.albums.get(album, 0) + 1
        outcomes.append(Contribution(item.share.id, version.key, version.version_id, version.size,
                                     item.path.name if item.path else item.name, outcome, item.sha))  # fmt: skip
    record_contributions(library.db, outcomes)  # remembered before the bucket copy goes
    done = [c for c in outcomes if c.outcome != "rejected"]
    if done:
        try:
            _delete_versions(client, target.bucket, [(c.key, c.version_id) for c in done])
        except Exception as exc:  # recorded as pulled: the next pull deletes them, without downloading again
            stats.failed.append(f"pulled, but not yet removed from the inbox: "
                                f"{explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)}")  # fmt: skip
    return stats


def _fetch_share(library: Library, client: Any, target: CloudTarget, share: Share, folder: Path,
                 known: dict[str, int], stats: PullStats) -> list[_Pending]:  # fmt: skip
    """Download the share's new contributions; rejections are recorded at once (they need no index)."""
    prefix = inbox_prefix(target, share.id)
    album = share.album or share.title
    seen = known_contributions(library.db, share.id)
    accepted = sum(c.size for c in seen.values() if c.outcome != "rejected")
    pending: list[_Pending] = []
    rejected: list[Contribution] = []
    leftovers: list[tuple[str, str]] = []  # pulled before but still in the bucket (a delete that failed)
    for version in _list_versions(client, target.bucket, prefix):
        earlier = seen.get((version.key, version.version_id))
        if earlier is not None:
            if earlier.outcome == "rejected":
                stats.rejected_before += 1
            else:
                leftovers.append((version.key, version.version_id))
            continue
        name = safe_name(version.key[len(prefix) :].rsplit("/", 1)[-1])
        reason = _refusal(share, version, name, accepted)
        if reason:
            _reject(stats, rejected, share, version, name, reason)
            continue
        try:
            path, sha = _download(client, target.bucket, version, folder / safe_name(album), name)
        except OSError as exc:
            stats.failed.append(f"{version.key}: {exc.strerror or exc}")
            continue
        except Exception as exc:  # the store's answer (gone meanwhile, denied…): tried again next pull
            stats.failed.append(f"{version.key}: {explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)}")
            continue
        stats.downloaded += 1
        accepted += version.size
        if sha in known:
            path.unlink()
            pending.append(_Pending(share, version, name, sha, photo_id=known[sha]))
        else:
            known[sha] = -1
            pending.append(_Pending(share, version, name, sha, path=path))
    record_contributions(library.db, rejected)
    if leftovers:
        try:
            _delete_versions(client, target.bucket, leftovers)
        except Exception as exc:  # tried again next pull; what was downloaded now still comes in
            stats.failed.append(f"pulled earlier, but not yet removed from the inbox: "
                                f"{explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)}")  # fmt: skip
    full = any(c.reason and c.reason.startswith(PAST_TOTAL) for c in rejected)
    if share.max_total_bytes and (full or accepted >= share.max_total_bytes) and share.state == "active":
        _close_upload_page(client, target, share, stats)
    return pending


def _refusal(share: Share, version: InboxVersion, name: str, accepted: int) -> str:
    """Why pull will not take this version ('' when it will)."""
    if not is_media_name(name):
        return "not a photo or video"
    if share.max_file_bytes and version.size > share.max_file_bytes:
        return f"{version.size} bytes: above the link's {share.max_file_bytes}-byte cap per file"
    if share.max_total_bytes and accepted + version.size > share.max_total_bytes:
        return f"{PAST_TOTAL} of {share.max_total_bytes} bytes"
    return ""


def _reject(stats: PullStats, into: list[Contribution], share: Share, version: InboxVersion, name: str, reason: str,
            sha: str | None = None) -> None:  # fmt: skip
    stats.rejected.append(version.key)
    stats.rejections.append({"key": version.key, "version_id": version.version_id, "reason": reason})
    into.append(Contribution(share.id, version.key, version.version_id, version.size, name, "rejected", sha, reason))


def _close_upload_page(client: Any, target: CloudTarget, share: Share, stats: PullStats) -> None:
    """The link's total is reached: remove its upload page so no new guest is shown the form."""
    from core.share.links import delete_prefix

    try:
        if delete_prefix(client, target.bucket, share.page_key):  # said once, when the page goes
            stats.closed.append(share.id)
    except Exception as exc:
        stats.failed.append(f"could not remove the upload page of share {share.id}: "
                            f"{explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)}")  # fmt: skip


def _list_versions(client: Any, bucket: str, prefix: str) -> list[InboxVersion]:
    """Every object version under ``prefix``, oldest first (a store without versioning: its objects)."""
    found: list[InboxVersion] = []
    try:
        for page in client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            for entry in page.get("Versions", []) or []:
                found.append(InboxVersion(entry["Key"], str(entry.get("VersionId") or "null"), int(entry["Size"]),
                                          entry["LastModified"].isoformat()))  # fmt: skip
    except Exception as exc:
        if error_code(exc) not in ("NotImplemented", "MethodNotAllowed", "InvalidRequest", "501"):
            raise
        found = [InboxVersion(o["Key"], ETAG_ID + str(o.get("ETag", "")).strip('"'), int(o["Size"]), o["LastModified"].isoformat())
                 for o in _list(client, bucket, prefix)]  # fmt: skip
    found.sort(key=lambda v: (v.modified, v.key, v.version_id))
    return found


def _present_by_sha(library: Library) -> dict[str, int]:
    return {
        row[0]: row[1]
        for row in library.db.query("SELECT sha256, min(id) FROM photos WHERE status = 'present' GROUP BY sha256")
    }


def _root_for(library: Library, folder: Path) -> str:
    """The root holding ``folder`` (registered as a new root when no root holds it)."""
    text = normalise_root(str(folder))
    roots = list_roots(library.db)
    for root in roots:
        if text == root.path or text.startswith(root.path.rstrip(os.sep) + os.sep):
            return root.path
    try:
        return add_root(library.db, text).path
    except RootError:  # the folder may be a root already, by another path (a link, a mount)
        same = [r.path for r in roots if lies_within(text, r.path) and lies_within(r.path, text)]
        if not same:
            raise
        return same[0]


def _list(client: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        objects.extend(page.get("Contents", []) or [])
    return objects


def _download(client: Any, bucket: str, version: InboxVersion, folder: Path, name: str) -> tuple[Path, str]:
    """Download one version to a new file in ``folder`` (``name``, else ``stem-2.ext`` …); returns it and its sha256."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.shoebox-{secrets.token_hex(4)}.part"
    digest = hashlib.sha256()
    extra = {} if version.version_id.startswith(ETAG_ID) else {"VersionId": version.version_id}
    try:
        body = client.get_object(Bucket=bucket, Key=version.key, **extra)["Body"]
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


def _delete_versions(client: Any, bucket: str, versions: list[tuple[str, str]]) -> None:
    """Delete these (key, version id) for good (a versioned delete leaves no marker and no old copy)."""
    objects = [{"Key": k} if v.startswith(ETAG_ID) else {"Key": k, "VersionId": v} for k, v in versions]
    for start in range(0, len(objects), 1000):
        answer = client.delete_objects(Bucket=bucket, Delete={"Objects": objects[start : start + 1000], "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise CloudError(f"could not delete {first.get('Key')}: {first.get('Message') or first.get('Code')}")
