"""The manifest object: every backed-up photo's key, path, albums and metadata.

``PREFIX/manifest.json.gz`` is gzip'd JSON lines: a header line, then one line per
photo, so a library can be rebuilt from the bucket alone and a million photos never sit
in memory at once. It is rewritten after a backup only when its content changed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.annotations.combined import labels_fingerprint, labels_of, no_labels
from core.catalog.photos import iter_photos, now_iso
from core.catalog.records import PHOTO_COLUMNS, Photo
from core.catalog.roots import list_roots
from core.cloud import ledger
from core.cloud.keys import manifest_key
from core.cloud.upload import SHA_META, UploadContext
from core.library import Library
from core.xmp.paths import sidecar_candidates

FORMAT = "shoebox-manifest"
VERSION = 1
_KV = "cloud.manifest_sha256:"
_SIGNATURE = "cloud.manifest_signature:"


def manifest_lines(library: Library, target_url: str) -> Iterator[dict[str, Any]]:
    """The header, then one record per catalogued photo whose content is in the bucket."""
    db = library.db
    roots = list_roots(db)
    yield {"format": FORMAT, "version": VERSION, "target": target_url, "roots": [r.path for r in roots]}
    objects = {obj.sha256: obj for obj in ledger.uploaded(db, target_url)}
    sidecars = {obj.source_path: obj for obj in objects.values() if obj.kind == "sidecar" and obj.source_path}
    labels = labels_of(db)
    unlabelled = no_labels()
    root_paths = {r.id: r.path for r in roots}
    for photo in iter_photos(db, include_missing=True):
        obj = objects.get(photo.sha256)
        if obj is None or photo.status == "trashed":
            continue
        record = _photo_record(photo)
        root = root_paths.get(photo.root_id or -1)
        record["root"] = root
        record["relative"] = _relative(photo.path, root)
        record["key"] = obj.key
        record["sidecars"] = [
            {"key": sidecars[c].key, "sha256": sidecars[c].sha256, "name": os.path.basename(c), "size": sidecars[c].size}
            for c in sidecar_candidates(photo.path) if c in sidecars
        ]  # fmt: skip
        record.update(labels.get(photo.id, unlabelled))
        yield record


#: Marks (rating, favourite) travel with the other annotations in the manifest's labels, not here.
_RECORD_FIELDS = tuple(name for name in PHOTO_COLUMNS if name not in ("path_bytes", "mtime_ns", "rating", "favourite"))


def _photo_record(photo: Photo) -> dict[str, Any]:
    """The keys of ``Photo.to_json`` (dataclasses.asdict is too slow for a million photos)."""
    record = {name: getattr(photo, name) for name in _RECORD_FIELDS}
    record["mtime"] = photo.mtime_ns / 1e9
    return record


def _relative(path: str, root: str | None) -> str:
    """``path`` inside ``root`` (both absolute and normalised), else its file name."""
    if root and path.startswith(root.rstrip("/") + "/"):
        return path[len(root.rstrip("/")) + 1 :]
    return os.path.basename(path)


def write_manifest(library: Library, target_url: str, path: Path) -> str:
    """Write the manifest to ``path`` (gzip, reproducible); returns the sha256 of its records."""
    digest = hashlib.sha256()
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=6) as out:
        for number, record in enumerate(manifest_lines(library, target_url)):
            line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
            digest.update(line.encode("utf-8"))
            if number == 0:  # the header carries the time; it is not part of the content digest
                record = {**record, "generated_at": now_iso()}
                line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
            out.write(line.encode("utf-8"))
    return digest.hexdigest()


def catalog_signature(library: Library, target_url: str) -> str:
    """A cheap fingerprint of what the manifest is made of (photos, labels, uploads).

    When it has not moved since the last manifest, building the manifest (about a minute
    for a million photos) is skipped altogether.
    """
    queries = [
        ("SELECT count(*), max(indexed_at), total(id), total(length(path)), "
         "total(status = 'present') FROM photos", ()),
        ("SELECT count(*), max(uploaded_at) FROM cloud_objects WHERE target = ? AND state = 'uploaded'", (target_url,)),
    ]  # fmt: skip
    parts = []
    for sql, params in queries:
        try:
            parts.append(repr(tuple(library.db.query(sql, params)[0])))
        except Exception:  # a catalog without these tables
            parts.append("-")
    parts.append(labels_fingerprint(library.db))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def publish_manifest(ctx: UploadContext, library: Library, *, force: bool = False) -> str | None:
    """Upload the manifest when it changed since the last one; returns its key (None: unchanged)."""
    key = manifest_key(ctx.target)
    kv_key = _KV + ctx.target.url
    signature = catalog_signature(library, ctx.target.url)
    if (
        not force
        and library.db.scalar("SELECT value FROM kv WHERE key = ?", (_SIGNATURE + ctx.target.url,)) == signature
    ):
        return None
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".gz", dir=library.directory)
    os.close(fd)
    try:
        content_sha = write_manifest(library, ctx.target.url, Path(tmp))
        if not force and library.db.scalar("SELECT value FROM kv WHERE key = ?", (kv_key,)) == content_sha:
            _remember(library, kv_key, content_sha, signature)
            return None
        data = Path(tmp).read_bytes()
        ctx.call(f"PUT {key}", lambda: ctx.client.put_object(
            Bucket=ctx.target.bucket, Key=key, Body=data, ContentType="application/gzip",
            Metadata={SHA_META: hashlib.sha256(data).hexdigest()}))  # fmt: skip
    finally:
        Path(tmp).unlink(missing_ok=True)
    _remember(library, kv_key, content_sha, signature)
    return key


def forget_published(library: Library, target_url: str) -> None:
    """Make the next backup write the manifest again (it went missing from the bucket)."""
    with library.db.transaction() as conn:
        conn.execute("DELETE FROM kv WHERE key IN (?, ?)", (_KV + target_url, _SIGNATURE + target_url))


def _remember(library: Library, kv_key: str, content_sha: str, signature: str) -> None:
    with library.db.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (kv_key, content_sha))
        conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                     (_SIGNATURE + kv_key[len(_KV):], signature))  # fmt: skip


def read_manifest(data: bytes) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """Parse manifest bytes into (header, records); raises ValueError when it is not one."""
    stream = io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(data)), encoding="utf-8")
    try:
        header = json.loads(stream.readline())
    except (OSError, json.JSONDecodeError, EOFError) as exc:
        raise ValueError(f"the manifest cannot be read: {exc}") from exc
    if header.get("format") != FORMAT:
        raise ValueError("this object is not a Shoebox manifest")
    if int(header.get("version", 0)) > VERSION:
        raise ValueError(f"the manifest has version {header['version']}: upgrade Shoebox to read it")
    return header, (json.loads(line) for line in stream if line.strip())


def fetch_manifest(client: Any, target: Any) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """Download and parse the target's manifest."""
    answer = client.get_object(Bucket=target.bucket, Key=manifest_key(target))
    return read_manifest(answer["Body"].read())
