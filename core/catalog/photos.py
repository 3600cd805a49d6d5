"""Reading and writing photo rows: the only place photo SQL lives."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from core.catalog.db import Database
from core.catalog.paths import folder_of, path_to_db
from core.catalog.query import Query, parse_query
from core.catalog.records import PHOTO_COLUMNS, Photo, Problem
from core.media.records import MediaInfo

_SELECT = f"SELECT {', '.join(PHOTO_COLUMNS)} FROM photos"
_INFO_COLUMNS = (
    "size", "mtime_ns", "sha256", "format", "kind", "width", "height", "orientation",
    "taken_at", "taken_at_source", "make", "model", "lens", "exposure_time", "f_number",
    "iso", "focal_length", "gps_lat", "gps_lon", "gps_alt", "phash", "dhash", "error",
    "dev", "ino",
)  # fmt: skip


def now_iso() -> str:
    """The current local time as stored in the catalog."""
    return time.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(slots=True)
class KnownFile:
    """What the catalog remembers of a file, to decide whether it changed since."""

    size: int
    mtime_ns: int
    status: str  # present / missing / trashed / problem


def known_files(db: Database, folder: str) -> dict[str, KnownFile]:
    """Catalogued photos and problem files directly inside ``folder``, by path."""
    known = {
        row[0]: KnownFile(row[1], row[2], row[3])
        for row in db.query("SELECT path, size, mtime_ns, status FROM photos WHERE folder = ?", (folder,))
    }
    for row in db.query("SELECT path, size, mtime_ns FROM problems WHERE folder = ?", (folder,)):
        known[row[0]] = KnownFile(row[1] if row[1] is not None else -1, row[2] if row[2] is not None else -1, "problem")
    return known


def store_media(db: Database, root_id: int | None, infos: Iterable[MediaInfo]) -> int:
    """Insert or update photos by path (ids stay stable); clears their old problems and
    records each one's ``note`` (a metadata problem) in their place."""
    stamp = now_iso()
    count = 0
    names = _INFO_COLUMNS + (("crop_hashes",) if _has_crop_hashes(db) else ())
    columns = ", ".join(names)
    marks = ", ".join("?" for _ in names)
    updates = ", ".join(f"{c} = excluded.{c}" for c in names)
    sql = (
        f"INSERT INTO photos (root_id, path, path_bytes, folder, status, indexed_at, real_path, {columns}) "
        f"VALUES (?, ?, ?, ?, 'present', ?, ?, {marks}) "
        f"ON CONFLICT (path) DO UPDATE SET root_id = excluded.root_id, status = 'present', "
        f"indexed_at = excluded.indexed_at, real_path = excluded.real_path, {updates}"
    )
    with db.transaction() as conn:
        for info in infos:
            text, raw = path_to_db(info.path)
            values = tuple(getattr(info, c) for c in names)
            real = path_to_db(info.real_path)[0] if info.real_path else None
            conn.execute(sql, (root_id, text, raw, folder_of(info.path), stamp, real, *values))
            conn.execute("DELETE FROM problems WHERE path = ?", (text,))
            if info.note:
                conn.execute(
                    "INSERT INTO problems (path, root_id, folder, reason, size, mtime_ns, seen_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (text, root_id, folder_of(info.path), info.note, info.size, info.mtime_ns, stamp),
                )
            if info.thumbnail_written:
                conn.execute(
                    "INSERT OR IGNORE INTO thumbnails (sha256, created_at) VALUES (?, ?)", (info.sha256, stamp)
                )
            count += 1
    return count


def _has_crop_hashes(db: Database) -> bool:
    """Whether the catalog has the crop-hash column (tests build catalogs at older versions)."""
    return any(row[1] == "crop_hashes" for row in db.query("PRAGMA table_info(photos)"))


def store_problems(
    db: Database, root_id: int | None, problems: Iterable[tuple[str, str, int | None, int | None]]
) -> int:
    """Record files that could not be catalogued: ``(path, reason, size, mtime_ns)``."""
    stamp = now_iso()
    count = 0
    with db.transaction() as conn:
        for path, reason, size, mtime_ns in problems:
            text, _raw = path_to_db(path)
            conn.execute(
                "INSERT INTO problems (path, root_id, folder, reason, size, mtime_ns, seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET reason = excluded.reason, "
                "size = excluded.size, mtime_ns = excluded.mtime_ns, seen_at = excluded.seen_at",
                (text, root_id, folder_of(path), reason, size, mtime_ns, stamp),
            )
            # A file that became unreadable keeps its catalogued row (and what hangs on it).
            count += 1
    return count


def forget_gone(db: Database, paths: Iterable[str]) -> int:
    """Mark catalogued files that are no longer on disk as missing; drop their problems."""
    count = 0
    with db.transaction() as conn:
        for path in paths:
            cursor = conn.execute("UPDATE photos SET status = 'missing' WHERE path = ? AND status = 'present'", (path,))
            count += cursor.rowcount
            conn.execute("DELETE FROM problems WHERE path = ?", (path,))
    return count


def folders_of_root(db: Database, root_id: int) -> set[str]:
    """Every folder holding a present photo or a problem of this root."""
    rows = db.query(
        "SELECT DISTINCT folder FROM photos WHERE root_id = ? AND status = 'present' "
        "UNION SELECT DISTINCT folder FROM problems WHERE root_id = ?",
        (root_id, root_id),
    )
    return {row[0] for row in rows}


def paths_in_folder(db: Database, folder: str) -> list[str]:
    """Paths of present photos and problem files directly inside ``folder``."""
    rows = db.query(
        "SELECT path FROM photos WHERE folder = ? AND status = 'present' UNION SELECT path FROM problems WHERE folder = ?",
        (folder, folder),
    )
    return [row[0] for row in rows]


@dataclass(frozen=True, slots=True)
class RecordedIdentity:
    """What the catalog recorded of a photo's file identity (``dev``/``ino`` may be unknown)."""

    photo_id: int
    fs_path: str
    dev: int | None
    ino: int | None
    real_path: str | None


def recorded_identities(db: Database, photo_ids: Iterable[int]) -> list[RecordedIdentity]:
    """Paths and recorded device, inode and real path of these photos (any status)."""
    ordered = sorted(set(photo_ids))
    found = []
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = db.query(
            f"SELECT id, path, path_bytes, dev, ino, real_path FROM photos WHERE id IN ({marks})", tuple(chunk)
        )
        for photo_id, path, raw, dev, ino, real in rows:
            found.append(RecordedIdentity(photo_id, os.fsdecode(raw) if raw is not None else path, dev, ino, real))
    return found


def get_photo(db: Database, photo_id: int) -> Photo | None:
    row = db.conn.execute(f"{_SELECT} WHERE id = ?", (photo_id,)).fetchone()
    return Photo.from_row(row) if row else None


def get_photo_by_path(db: Database, path: str) -> Photo | None:
    row = db.conn.execute(f"{_SELECT} WHERE path = ?", (path_to_db(path)[0],)).fetchone()
    return Photo.from_row(row) if row else None


TIMELINE_ORDER = "taken_at IS NULL, taken_at, id"


def iter_photos(
    db: Database,
    query: Query | str = "",
    *,
    limit: int | None = None,
    offset: int = 0,
    include_missing: bool = False,
    descending: bool = False,
) -> Iterator[Photo]:
    """Photos matching ``query`` in timeline order, streamed (safe for a million rows)."""
    q = parse_query(query) if isinstance(query, str) else query
    where, params = _where(q, include_missing)
    order = "taken_at IS NULL, taken_at DESC, id DESC" if descending else TIMELINE_ORDER
    sql = f"{_SELECT} WHERE {where} ORDER BY {order}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params = (*params, -1 if limit is None else limit, offset)
    cursor = db.conn.execute(sql, params)
    while rows := cursor.fetchmany(500):
        for row in rows:
            yield Photo.from_row(row)


def count_photos(db: Database, query: Query | str = "", *, include_missing: bool = False) -> int:
    q = parse_query(query) if isinstance(query, str) else query
    where, params = _where(q, include_missing)
    return int(db.scalar(f"SELECT count(*) FROM photos WHERE {where}", params) or 0)


@dataclass(slots=True)
class DateBucket:
    """How many photos were taken in one period (``key`` is 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD')."""

    key: str
    count: int
    first_offset: int  # position of the bucket's first photo in the timeline order


def date_buckets(db: Database, granularity: str = "day", query: Query | str = "") -> list[DateBucket]:
    """Counts per year, month or day in timeline order, with each bucket's first offset.

    Photos without a date form one last bucket with the key ``"undated"``.
    """
    width = {"year": 4, "month": 7, "day": 10}[granularity]
    q = parse_query(query) if isinstance(query, str) else query
    where, params = _where(q, False)
    rows = db.query(
        f"SELECT coalesce(substr(taken_at, 1, {width}), 'undated') AS k, count(*) FROM photos "
        f"WHERE {where} GROUP BY k ORDER BY k = 'undated', k",
        params,
    )
    buckets, offset = [], 0
    for key, count in rows:
        buckets.append(DateBucket(key, count, offset))
        offset += count
    return buckets


def _where(q: Query, include_missing: bool) -> tuple[str, tuple]:
    clauses = [] if include_missing else ["status = 'present'"]
    params: list[object] = []
    if q.sql:
        clauses.append(f"({q.sql})")
        params.extend(q.params)
    return (" AND ".join(clauses) or "1"), tuple(params)


def list_problems(db: Database) -> list[Problem]:
    """Files not catalogued at all, then catalogued files whose pixels could not be read."""
    rows = db.query(
        "SELECT path, reason FROM problems "
        "UNION ALL SELECT path, error FROM photos WHERE error IS NOT NULL AND status = 'present' ORDER BY 1"
    )
    return [Problem(row[0], row[1]) for row in rows]


def photos_missing_thumbnails(db: Database, limit: int = 1000) -> list[Photo]:
    """Present photos whose thumbnail has not been generated (for lazy background work)."""
    rows = db.query(
        f"{_SELECT} WHERE status = 'present' AND kind = 'photo' AND error IS NULL "
        "AND sha256 NOT IN (SELECT sha256 FROM thumbnails) LIMIT ?",
        (limit,),
    )
    return [Photo.from_row(r) for r in rows]


def clear_problem(db: Database, path: str) -> None:
    """Forget a recorded problem (the file or folder is fine now)."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM problems WHERE path = ?", (path_to_db(path)[0],))


def count_by_root(db: Database) -> dict[int, int]:
    """Present photos per root id."""
    rows = db.query("SELECT root_id, count(*) FROM photos WHERE status = 'present' GROUP BY root_id")
    return {row[0]: row[1] for row in rows if row[0] is not None}


def set_capture_date(db: Database, photo_id: int, taken_at: str, source: str) -> None:
    """Record a capture date learnt elsewhere (a sidecar, a duplicate) and where it came from."""
    with db.transaction() as conn:
        conn.execute("UPDATE photos SET taken_at = ?, taken_at_source = ? WHERE id = ?", (taken_at, source, photo_id))


def set_position(db: Database, photo_id: int, lat: float, lon: float, alt: float | None) -> None:
    """Record a GPS position learnt elsewhere (decimal degrees, metres)."""
    with db.transaction() as conn:
        conn.execute("UPDATE photos SET gps_lat = ?, gps_lon = ?, gps_alt = ? WHERE id = ?", (lat, lon, alt, photo_id))


def photos_without_crop_hashes(db: Database) -> list[tuple[str, str]]:
    """``(sha256, path on disk)`` of one present photo per content with a phash but no crop hashes."""
    rows = db.query(
        "SELECT sha256, path, path_bytes FROM photos WHERE status = 'present' AND crop_hashes IS NULL "
        "AND (phash IS NOT NULL OR dhash IS NOT NULL) GROUP BY sha256"
    )
    return [(row[0], os.fsdecode(row[2]) if row[2] is not None else row[1]) for row in rows]


def store_crop_hashes(db: Database, hashes: Iterable[tuple[str, bytes]]) -> None:
    """Set the crop hashes (``core.media.hashing.crop_hashes``) of every photo with each content."""
    with db.transaction() as conn:
        conn.executemany("UPDATE photos SET crop_hashes = ? WHERE sha256 = ?", ((blob, sha) for sha, blob in hashes))
