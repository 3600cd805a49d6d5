"""Object key layout inside a target's prefix (one place, so every part agrees)."""

from __future__ import annotations

from core.cloud.target import CloudTarget

MANIFEST_NAME = "manifest.json.gz"


def _join(target: CloudTarget, *parts: str) -> str:
    return "/".join(p for p in (target.prefix, *parts) if p)


def objects_prefix(target: CloudTarget) -> str:
    return _join(target, "objects") + "/"


def object_key(target: CloudTarget, sha256: str) -> str:
    """``PREFIX/objects/ab/abcdef…``: content-addressed, so a moved photo keeps its key."""
    return _join(target, "objects", sha256[:2], sha256)


def sha_of_key(key: str) -> str:
    return key.rsplit("/", 1)[-1]


def manifest_key(target: CloudTarget) -> str:
    return _join(target, MANIFEST_NAME)


def share_prefix(target: CloudTarget, share_id: str) -> str:
    return _join(target, "shares", share_id) + "/"


def inbox_prefix(target: CloudTarget, share_id: str) -> str:
    return _join(target, "inbox", share_id) + "/"


def catalog_prefix(target: CloudTarget) -> str:
    """``PREFIX/catalog/``: snapshots of the catalog, beside the manifest."""
    return _join(target, "catalog") + "/"


def catalog_snapshot_key(target: CloudTarget, snapshot_id: str) -> str:
    return f"{catalog_prefix(target)}catalog-{snapshot_id}.db.gz"
