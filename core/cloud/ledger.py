"""The catalog's record of cloud backups: the upload queue, multipart progress, proofs.

All SQL about ``cloud_objects``, ``cloud_multipart`` and ``cloud_parts`` lives here. A
target is identified by its URL (``s3://bucket/prefix``) so switching targets starts a
fresh record instead of trusting the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.catalog.db import Database
from core.catalog.photos import now_iso
from core.catalog.query import Query


@dataclass(slots=True)
class CloudObject:
    """One piece of content on its way to (or safely in) the bucket."""

    sha256: str
    kind: str  # original | sidecar
    key: str
    size: int
    source_path: str | None
    state: str  # queued | uploaded | failed
    etag: str | None
    attempts: int
    error: str | None


@dataclass(slots=True)
class Multipart:
    """A multipart upload begun on the server, and the parts it has acknowledged."""

    upload_id: str
    part_size: int
    parts: dict[int, tuple[str, int]]  # part number → (etag, size)


#: The error text of content that verify put back in the queue (its object must be replaced).
VERIFY_REASON = "verify: "
_COLUMNS = "sha256, kind, key, size, source_path, state, etag, attempts, error"


def enqueue(db: Database, target: str, items: Iterable[tuple[str, str, str, int, str | None]]) -> int:
    """Queue ``(sha256, kind, key, size, source_path)`` unless already queued or uploaded.

    A failed item is queued again (its error kept until the next attempt). Returns how
    many rows were newly queued.
    """
    stamp = now_iso()
    added = 0
    with db.transaction() as conn:
        for sha, kind, key, size, source in items:
            cursor = conn.execute(
                "INSERT INTO cloud_objects (target, sha256, kind, key, size, source_path, state, queued_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT (target, sha256) DO UPDATE SET "
                "state = 'queued', source_path = coalesce(excluded.source_path, source_path), "
                "queued_at = excluded.queued_at WHERE state = 'failed'",
                (target, sha, kind, key, size, source, stamp),
            )
            added += cursor.rowcount
    return added


def queued(db: Database, target: str) -> list[CloudObject]:
    """The upload queue, oldest first."""
    rows = db.query(
        f"SELECT {_COLUMNS} FROM cloud_objects WHERE target = ? AND state = 'queued' ORDER BY queued_at, rowid",
        (target,),
    )
    return [CloudObject(*row) for row in rows]


def get(db: Database, target: str, sha256: str) -> CloudObject | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM cloud_objects WHERE target = ? AND sha256 = ?",
                          (target, sha256)).fetchone()  # fmt: skip
    return CloudObject(*row) if row else None


def uploaded(db: Database, target: str) -> Iterator[CloudObject]:
    cursor = db.conn.execute(
        f"SELECT {_COLUMNS} FROM cloud_objects WHERE target = ? AND state = 'uploaded' ORDER BY key", (target,)
    )
    while rows := cursor.fetchmany(1000):
        yield from (CloudObject(*row) for row in rows)


def states(db: Database, target: str, sha256s: Iterable[str]) -> dict[str, str]:
    """Backup state per sha256 for the given contents (missing keys: never queued)."""
    result: dict[str, str] = {}
    batch = list(sha256s)
    for start in range(0, len(batch), 500):
        chunk = batch[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for sha, state in db.query(
            f"SELECT sha256, state FROM cloud_objects WHERE target = ? AND sha256 IN ({marks})", (target, *chunk)
        ):
            result[sha] = state
    return result


#: :func:`states` under the name other packages know it by (``core.cloud.backup_states``).
backup_states = states


def mark_uploaded(db: Database, target: str, sha256: str, etag: str, *, verified: bool = True) -> None:
    """The object is in the bucket and was checked; forget its multipart bookkeeping."""
    stamp = now_iso()
    with db.transaction() as conn:
        conn.execute(
            "UPDATE cloud_objects SET state = 'uploaded', etag = ?, error = NULL, uploaded_at = ?, "
            "verified_at = CASE WHEN ? THEN ? ELSE verified_at END WHERE target = ? AND sha256 = ?",
            (etag, stamp, int(verified), stamp, target, sha256),
        )
        _forget_multipart(conn, target, sha256)


def record_attempt(db: Database, target: str, sha256: str, error: str | None, *, failed: bool) -> None:
    """Count an attempt; a ``failed`` item leaves the queue until the next ``backup``."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE cloud_objects SET attempts = attempts + 1, error = ?, "
            "state = CASE WHEN ? THEN 'failed' ELSE state END WHERE target = ? AND sha256 = ?",
            (error, int(failed), target, sha256),
        )


def requeue(db: Database, target: str, sha256: str, reason: str) -> None:
    """Put content back in the queue (verify found its object missing or damaged)."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE cloud_objects SET state = 'queued', error = ?, etag = NULL, queued_at = ? "
            "WHERE target = ? AND sha256 = ?",
            (reason, now_iso(), target, sha256),
        )


def mark_verified(db: Database, target: str, sha256s: Iterable[str]) -> None:
    stamp = now_iso()
    with db.transaction() as conn:
        conn.executemany(
            "UPDATE cloud_objects SET verified_at = ? WHERE target = ? AND sha256 = ?",
            ((stamp, target, sha) for sha in sha256s),
        )


def adopt(db: Database, target: str, items: Iterable[tuple[str, str, str, int, str | None, str | None]]) -> int:
    """Record objects found already in the bucket (rebuild, another library): ``(sha, kind, key, size, source, etag)``."""
    stamp = now_iso()
    count = 0
    with db.transaction() as conn:
        for sha, kind, key, size, source, etag in items:
            conn.execute(
                "INSERT INTO cloud_objects (target, sha256, kind, key, size, source_path, state, etag, queued_at, "
                "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, 'uploaded', ?, ?, ?) ON CONFLICT (target, sha256) DO UPDATE "
                "SET state = 'uploaded', etag = excluded.etag, error = NULL, uploaded_at = excluded.uploaded_at",
                (target, sha, kind, key, size, source, etag, stamp, stamp),
            )
            _forget_multipart(conn, target, sha)
            count += 1
    return count


# --- multipart ---------------------------------------------------------------------------


def get_multipart(db: Database, target: str, sha256: str) -> Multipart | None:
    row = db.conn.execute("SELECT upload_id, part_size FROM cloud_multipart WHERE target = ? AND sha256 = ?",
                          (target, sha256)).fetchone()  # fmt: skip
    if row is None:
        return None
    parts = {
        number: (etag, size)
        for number, etag, size in db.query(
            "SELECT part_number, etag, size FROM cloud_parts WHERE target = ? AND sha256 = ?", (target, sha256)
        )
    }
    return Multipart(row[0], row[1], parts)


def all_multipart(db: Database, target: str) -> dict[str, str]:
    """Upload id per sha256 of every multipart upload this library has begun."""
    return {row[0]: row[1] for row in db.query("SELECT sha256, upload_id FROM cloud_multipart WHERE target = ?",
                                               (target,))}  # fmt: skip


def begin_multipart(db: Database, target: str, sha256: str, upload_id: str, part_size: int) -> None:
    with db.transaction() as conn:
        _forget_multipart(conn, target, sha256)
        conn.execute(
            "INSERT INTO cloud_multipart (target, sha256, upload_id, part_size, started_at) VALUES (?, ?, ?, ?, ?)",
            (target, sha256, upload_id, part_size, now_iso()),
        )


def record_part(db: Database, target: str, sha256: str, number: int, etag: str, size: int) -> None:
    """The server acknowledged a part: a resumed upload will not send it again."""
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO cloud_parts (target, sha256, part_number, etag, size) VALUES (?, ?, ?, ?, ?)",
            (target, sha256, number, etag, size),
        )


def forget_multipart(db: Database, target: str, sha256: str) -> None:
    with db.transaction() as conn:
        _forget_multipart(conn, target, sha256)


def _forget_multipart(conn, target: str, sha256: str) -> None:  # type: ignore[no-untyped-def]
    conn.execute("DELETE FROM cloud_multipart WHERE target = ? AND sha256 = ?", (target, sha256))
    conn.execute("DELETE FROM cloud_parts WHERE target = ? AND sha256 = ?", (target, sha256))


# --- summaries -----------------------------------------------------------------------------


def summary(db: Database, target: str) -> dict[str, dict[str, int]]:
    """Count and bytes per state for this target."""
    rows = db.query(
        "SELECT state, count(*), coalesce(sum(size), 0) FROM cloud_objects WHERE target = ? GROUP BY state", (target,)
    )
    return {state: {"count": count, "bytes": size} for state, count, size in rows}


def failures(db: Database, target: str, limit: int = 50) -> list[CloudObject]:
    rows = db.query(
        f"SELECT {_COLUMNS} FROM cloud_objects WHERE target = ? AND state = 'failed' ORDER BY key LIMIT ?",
        (target, limit),
    )
    return [CloudObject(*row) for row in rows]


def present_copies(db: Database, sha256: str) -> list[str]:
    """On-disk paths of present photos with this content (any of them can be uploaded)."""
    rows = db.query("SELECT path, path_bytes FROM photos WHERE sha256 = ? AND status = 'present' ORDER BY id",
                    (sha256,))  # fmt: skip
    import os

    return [os.fsdecode(raw) if raw is not None else path for path, raw in rows]


def mark_restored(db: Database, photo_id: int) -> None:
    """A missing photo is back at its catalogued path, byte for byte."""
    with db.transaction() as conn:
        conn.execute("UPDATE photos SET status = 'present' WHERE id = ? AND status = 'missing'", (photo_id,))


def sidecars_of(db: Database, target: str, photo_path: str) -> list[CloudObject]:
    """Uploaded sidecars that were read from beside ``photo_path``."""
    from core.xmp.paths import sidecar_candidates

    candidates = sidecar_candidates(photo_path)
    marks = ", ".join("?" for _ in candidates)
    rows = db.query(
        f"SELECT {_COLUMNS} FROM cloud_objects WHERE target = ? AND kind = 'sidecar' AND state = 'uploaded' "
        f"AND source_path IN ({marks})",
        (target, *candidates),
    )
    return [CloudObject(*row) for row in rows]


# --- planning (photos joined with this target's state; ``query`` compiled by core.catalog.query) ---


def _photo_filter(query: Query) -> tuple[str, tuple[object, ...]]:
    return ("status = 'present'" + (f" AND ({query.sql})" if query.sql else "")), tuple(query.params)


def contents_to_upload(db: Database, target: str, query: Query) -> list[tuple[str, int]]:
    """``(sha256, size)`` of matching present photos neither uploaded nor queued yet, oldest first."""
    where, params = _photo_filter(query)
    return [(row[0], row[1]) for row in db.query(
        f"SELECT sha256, max(size) FROM photos WHERE {where} AND sha256 NOT IN "
        "(SELECT sha256 FROM cloud_objects WHERE target = ? AND state IN ('uploaded', 'queued')) "
        "GROUP BY sha256 ORDER BY min(id)",
        (*params, target),
    )]  # fmt: skip


def count_uploaded_contents(db: Database, target: str, query: Query) -> int:
    """Distinct contents of matching present photos already in the bucket."""
    where, params = _photo_filter(query)
    return int(db.scalar(
        f"SELECT count(DISTINCT sha256) FROM photos WHERE {where} AND sha256 IN "
        "(SELECT sha256 FROM cloud_objects WHERE target = ? AND state = 'uploaded')",
        (*params, target),
    ) or 0)  # fmt: skip


def photo_names_by_folder(db: Database, query: Query) -> Iterator[tuple[str, set[str]]]:
    """``(folder, file names)`` of matching present photos, one folder at a time."""
    where, params = _photo_filter(query)
    cursor = db.conn.execute(f"SELECT folder, path FROM photos WHERE {where} ORDER BY folder", params)
    folder, names = None, set()
    while rows := cursor.fetchmany(1000):
        for row_folder, path in rows:
            if row_folder != folder:
                if folder is not None:
                    yield folder, names
                folder, names = row_folder, set()
            names.add(path.rsplit("/", 1)[-1])
    if folder is not None:
        yield folder, names
