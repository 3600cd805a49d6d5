"""The newest catalog snapshot goes to the bucket with each backup, beside the manifest.

The manifest lets a library be rebuilt from the bucket; the snapshot keeps what the
manifest does not carry (duplicate decisions, the trash journal, shares, sidecar state)
and lets ``shoebox catalog restore`` work on a new machine after a download. Objects are
``PREFIX/catalog/catalog-ID.db.gz`` (gzip'd SQLite files, each with its sha256 in its
metadata); the newest :data:`~core.catalog.snapshots.KEEP` are kept in the bucket too.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from core.catalog import snapshots
from core.cloud.keys import catalog_prefix, catalog_snapshot_key
from core.cloud.upload import SHA_META, UploadContext
from core.library import Library

_KV = "cloud.catalog_snapshot:"


def publish_snapshot(ctx: UploadContext, library: Library) -> str | None:
    """Upload the newest snapshot (taking one when due) unless it is already there; returns its key."""
    db_path = library.db.path
    if snapshots.due(db_path):
        snapshots.take_snapshot(library.db.conn, db_path)
    newest = snapshots.list_snapshots(db_path)[0]
    kv_key = _KV + ctx.target.url
    if library.db.scalar("SELECT value FROM kv WHERE key = ?", (kv_key,)) == newest.id:
        return None
    key = catalog_snapshot_key(ctx.target, newest.id)
    fd, tmp = tempfile.mkstemp(prefix=".snapshot-", suffix=".gz", dir=library.directory)
    os.close(fd)
    try:
        digest = _gzip(newest.path, Path(tmp))

        def put() -> object:
            with open(tmp, "rb") as body:
                return ctx.client.put_object(Bucket=ctx.target.bucket, Key=key, Body=body, ContentType="application/gzip",
                                             Metadata={SHA_META: digest, "snapshot": newest.id})  # fmt: skip

        ctx.call(f"PUT {key}", put)
    finally:
        Path(tmp).unlink(missing_ok=True)
    with library.db.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (kv_key, newest.id))
    prune_remote(ctx)
    return key


def _gzip(source: Path, dest: Path) -> str:
    """Compress ``source`` into ``dest`` (reproducibly); returns the sha256 of the compressed bytes."""
    with open(source, "rb") as raw, open(dest, "wb") as out:
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as packed:
            shutil.copyfileobj(raw, packed, 1024 * 1024)
    digest = hashlib.sha256()
    with open(dest, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def remote_snapshots(ctx: UploadContext) -> list[str]:
    """Keys of the catalog snapshots in the bucket, newest first."""
    keys: list[str] = []
    params = {"Bucket": ctx.target.bucket, "Prefix": catalog_prefix(ctx.target)}
    while True:
        answer = ctx.call("list catalog snapshots", lambda p=dict(params): ctx.client.list_objects_v2(**p))
        keys.extend(obj["Key"] for obj in answer.get("Contents", []) or [] if obj["Key"].endswith(".db.gz"))
        if not answer.get("IsTruncated"):
            return sorted(keys, reverse=True)
        params["ContinuationToken"] = answer["NextContinuationToken"]


def prune_remote(ctx: UploadContext, keep: int = snapshots.KEEP) -> int:
    """Delete all but the newest ``keep`` catalog snapshots in the bucket; returns how many went."""
    old = remote_snapshots(ctx)[keep:]
    for key in old:
        ctx.call(f"DELETE {key}", lambda k=key: ctx.client.delete_object(Bucket=ctx.target.bucket, Key=k))
    return len(old)
