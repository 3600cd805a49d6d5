"""Downloading one object to a file: hashed on the way, placed atomically, never over another file."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.cloud.errors import error_code
from core.cloud.partials import PartialJournal

CHUNK = 1024 * 1024


class NotInBucket(Exception):
    """The object is not in the bucket."""


class ChecksumMismatch(Exception):
    """The downloaded bytes are not the expected content (the object is damaged)."""


@dataclass(slots=True)
class Placed:
    """What happened to a destination: written, already identical, or left alone (a different file)."""

    outcome: str  # written | identical | conflict
    path: Path
    size: int = 0


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def identical(path: Path, sha256: str, size: int) -> bool:
    """True when ``path`` already holds exactly this content."""
    try:
        return path.stat().st_size == size and file_sha256(path) == sha256
    except OSError:
        return False


def download_to(client: Any, bucket: str, key: str, sha256: str, size: int, dest: Path,
                *, mtime_ns: int | None = None, journal: PartialJournal | None = None) -> Placed:  # fmt: skip
    """Fetch ``key`` into ``dest`` unless ``dest`` exists; the bytes must hash to ``sha256``.

    The bytes go to a hidden temporary file in the destination folder, are checked and
    fsync'd, then linked into place with ``os.link``, which fails rather than replace a
    file that appeared meanwhile. A different file at ``dest`` is never touched. The
    temporary file's path goes into ``journal`` first, so a killed run's is removed next time.
    """
    if dest.exists() or dest.is_symlink():
        return Placed("identical" if identical(dest, sha256, size) else "conflict", dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.shoebox-{secrets.token_hex(4)}.part")
    if journal is not None:
        journal.add(tmp)
    try:
        try:
            answer = client.get_object(Bucket=bucket, Key=key)
        except Exception as exc:
            if error_code(exc) in ("NoSuchKey", "404", "NotFound"):
                raise NotInBucket(key) from exc
            raise
        digest = hashlib.sha256()
        written = 0
        with open(tmp, "xb") as out:
            body = answer["Body"]
            while chunk := body.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256 or written != size:
            raise ChecksumMismatch(f"{key}: the downloaded bytes do not match the catalogued sha256")
        if mtime_ns is not None:
            os.utime(tmp, ns=(mtime_ns, mtime_ns))
        try:
            os.link(tmp, dest)
        except FileExistsError:
            return Placed("identical" if identical(dest, sha256, size) else "conflict", dest)
        except OSError:  # filesystems without hard links: no-clobber rename is not atomic there
            if dest.exists():
                return Placed("identical" if identical(dest, sha256, size) else "conflict", dest)
            os.rename(tmp, dest)
        return Placed("written", dest, written)
    finally:
        tmp.unlink(missing_ok=True)
