"""Forward-only schema migrations, recorded in the catalog, with a backup taken first.

Each :class:`Migration` moves the schema from ``version - 1`` to ``version``. The version
lives in SQLite's ``user_version``; applied migrations are also listed in
``schema_migrations`` so a person can see the history. Before an existing catalog is
migrated, a copy is written next to it (``catalog.db.v{old}.bak``) with SQLite's online
backup API, so an upgrade can never lose a library.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.catalog.paths import path_to_db


@dataclass(frozen=True)
class Migration:
    """One step of the schema: SQL script and/or a Python function run in one transaction."""

    version: int
    name: str
    sql: str = ""
    run: Callable[[sqlite3.Connection], None] | None = None


SCHEMA_V1 = """
CREATE TABLE schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- Folders the user asked Shoebox to index. `reference` roots are never trashed from.
CREATE TABLE roots (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,
    added_at  TEXT NOT NULL,
    reference INTEGER NOT NULL DEFAULT 0,
    last_indexed_at TEXT
);

-- One row per file. `path` is the absolute path as text; when the name is not valid
-- UTF-8, `path` holds a readable form and `path_bytes` the exact bytes.
CREATE TABLE photos (
    id              INTEGER PRIMARY KEY,
    root_id         INTEGER REFERENCES roots(id) ON DELETE SET NULL,
    path            TEXT NOT NULL UNIQUE,
    path_bytes      BLOB,
    folder          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    mtime_ns        INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    format          TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'video')),
    width           INTEGER,
    height          INTEGER,
    orientation     INTEGER CHECK (orientation BETWEEN 1 AND 8),
    taken_at        TEXT,
    taken_at_source TEXT,
    make            TEXT,
    model           TEXT,
    lens            TEXT,
    exposure_time   TEXT,
    f_number        REAL,
    iso             INTEGER,
    focal_length    REAL,
    gps_lat         REAL,
    gps_lon         REAL,
    gps_alt         REAL,
    phash           TEXT,
    dhash           TEXT,
    -- present: on disk; missing: not found by the last scan of its folder;
    -- trashed: moved to the library's trash (by the duplicates feature).
    status          TEXT NOT NULL DEFAULT 'present'
                    CHECK (status IN ('present', 'missing', 'trashed')),
    indexed_at      TEXT NOT NULL,
    error           TEXT
);
CREATE INDEX photos_timeline ON photos (status, taken_at, id);
CREATE INDEX photos_folder ON photos (folder);
CREATE INDEX photos_sha256 ON photos (sha256);
CREATE INDEX photos_root ON photos (root_id);

-- Files that could not be catalogued at all (zero bytes, not an image, unreadable...).
CREATE TABLE problems (
    id       INTEGER PRIMARY KEY,
    path     TEXT NOT NULL UNIQUE,
    root_id  INTEGER REFERENCES roots(id) ON DELETE CASCADE,
    folder   TEXT NOT NULL,
    reason   TEXT NOT NULL,
    size     INTEGER,
    mtime_ns INTEGER,
    seen_at  TEXT NOT NULL
);
CREATE INDEX problems_folder ON problems (folder);

-- Cached previews, keyed by content so a moved or copied photo shares its thumbnail.
CREATE TABLE thumbnails (
    sha256     TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- Library-wide settings and counters that are not configuration (e.g. last scan stats).
CREATE TABLE kv (
    key   TEXT PRIMARY KEY,
    value TEXT
);
"""

# Albums, tags and marks (core/collections), the trash and duplicate decisions
# (core/trash, core/duplicates).
SCHEMA_V2 = """
CREATE TABLE albums (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE album_photos (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (album_id, photo_id)
);
CREATE INDEX album_photos_photo ON album_photos (photo_id);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE photo_tags (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    tag_id   INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (photo_id, tag_id)
);
CREATE INDEX photo_tags_tag ON photo_tags (tag_id);

ALTER TABLE photos ADD COLUMN rating INTEGER CHECK (rating BETWEEN 0 AND 5);
ALTER TABLE photos ADD COLUMN favourite INTEGER NOT NULL DEFAULT 0;
ALTER TABLE photos ADD COLUMN caption TEXT;

-- "These are not duplicates" and "resolved" decisions, each over a set of photos: a
-- group whose members all belong to one decision is not shown again.
CREATE TABLE duplicate_decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('not_duplicates', 'resolved')),
    decided_at TEXT NOT NULL
);
CREATE TABLE duplicate_decision_photos (
    decision_id INTEGER NOT NULL REFERENCES duplicate_decisions(id) ON DELETE CASCADE,
    photo_id    INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    PRIMARY KEY (decision_id, photo_id)
);
CREATE INDEX duplicate_decision_photos_photo ON duplicate_decision_photos (photo_id);

-- Verdicts of the pixel check per pair of contents (a pair's bytes decide its verdict),
-- so a second scan does not look at the same candidate pixels again.
CREATE TABLE duplicate_verdicts (
    sha_a   TEXT NOT NULL,
    sha_b   TEXT NOT NULL,
    version INTEGER NOT NULL,
    same    INTEGER NOT NULL,
    reason  TEXT NOT NULL,
    PRIMARY KEY (sha_a, sha_b)
);

-- One resolved group: `merge` (JSON) is what the keepers inherited, so it can be undone.
CREATE TABLE resolutions (
    id          INTEGER PRIMARY KEY,
    decision_id INTEGER REFERENCES duplicate_decisions(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    undone_at   TEXT,
    merge       TEXT NOT NULL DEFAULT '[]'
);

-- The trash and its journal: a row is written before a file moves and updated after,
-- so a killed move is finished or rolled back on the next run (core/trash/journal.py).
CREATE TABLE trash (
    id                  INTEGER PRIMARY KEY,
    photo_id            INTEGER REFERENCES photos(id) ON DELETE SET NULL,
    resolution_id       INTEGER REFERENCES resolutions(id) ON DELETE SET NULL,
    original_path       TEXT NOT NULL,
    original_path_bytes BLOB,
    trash_name          TEXT NOT NULL,
    sha256              TEXT NOT NULL,
    size                INTEGER NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('moving', 'trashed', 'restoring')),
    restore_path        TEXT,
    trashed_at          TEXT NOT NULL,
    photo_row           TEXT NOT NULL
);
CREATE INDEX trash_state ON trash (state);
CREATE INDEX trash_photo ON trash (photo_id);
"""

# Cloud backup and sharing (core/cloud, core/share). No credentials or presigned URLs are
# ever stored: URLs carry the access key id, so links are re-signed from keys on demand.
SCHEMA_V3 = """
-- One row per content (sha256) per backup target; rows in state 'queued' are the
-- persistent upload queue, 'uploaded' rows the proof of what the bucket holds.
CREATE TABLE cloud_objects (
    target      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'original' CHECK (kind IN ('original', 'sidecar')),
    key         TEXT NOT NULL,
    size        INTEGER NOT NULL,
    source_path TEXT,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'uploaded', 'failed')),
    etag        TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    queued_at   TEXT NOT NULL,
    uploaded_at TEXT,
    verified_at TEXT,
    PRIMARY KEY (target, sha256)
);
CREATE INDEX cloud_objects_state ON cloud_objects (target, state);

-- A multipart upload in flight and every part the server acknowledged, so a killed
-- backup resumes at the next part (or aborts the upload; it is never left behind).
CREATE TABLE cloud_multipart (
    target     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    upload_id  TEXT NOT NULL,
    part_size  INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (target, sha256)
);
CREATE TABLE cloud_parts (
    target      TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    etag        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    PRIMARY KEY (target, sha256, part_number)
);

-- Shares: expiring links to derivatives ('link') and contributor inboxes ('collect').
CREATE TABLE shares (
    id         TEXT PRIMARY KEY,
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('link', 'collect')),
    title      TEXT NOT NULL,
    album      TEXT,
    page_key   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    strip_gps  INTEGER NOT NULL DEFAULT 1,
    max_size   INTEGER,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    revoked_at TEXT
);
CREATE TABLE share_items (
    share_id TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    sha256   TEXT,
    name     TEXT NOT NULL,
    PRIMARY KEY (share_id, key)
);
"""

# XMP sidecars (core/xmp): what a photo's sidecar held when Shoebox last read or wrote
# it (its bytes' sha256 and its marks as JSON), so a sidecar another tool changed since
# is merged field by field before it is written.
SCHEMA_V4 = """
CREATE TABLE xmp_sync (
    photo_id  INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    marks     TEXT NOT NULL,
    synced_at TEXT NOT NULL
);
"""

# Contributor inboxes (core/share/pull.py): every contribution ``share pull`` has dealt with,
# by object version (two guests' files of one name are two versions of one key), so a
# rejected one is never downloaded again; and the size caps a collect link was made with.
SCHEMA_SHARE_CONTRIBUTIONS = """
ALTER TABLE shares ADD COLUMN max_file_bytes INTEGER;
ALTER TABLE shares ADD COLUMN max_total_bytes INTEGER;
CREATE TABLE share_contributions (
    share_id   TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    version_id TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT,
    name       TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('imported', 'duplicate', 'rejected')),
    reason     TEXT,
    pulled_at  TEXT NOT NULL,
    PRIMARY KEY (share_id, key, version_id)
);
"""


# A file's identity (core/indexing/scan.py, core/duplicates/safety.py): the device and
# inode of the bytes a path leads to, and its real path, so two paths of one file (a
# symlink, a bind mount, a root added twice) are known to be one file. Trash rows name
# the photos kept in the copy's place, so a purge can refuse when they are gone.
SCHEMA_IDENTITY = """
ALTER TABLE photos ADD COLUMN dev INTEGER;
ALTER TABLE photos ADD COLUMN ino INTEGER;
ALTER TABLE photos ADD COLUMN real_path TEXT;
CREATE INDEX photos_identity ON photos (dev, ino);
ALTER TABLE trash ADD COLUMN keeper_ids TEXT;
"""


# People (core/people/): faces found in photos, each with its box in upright
# original-pixel coordinates and the embedding of the model that made it (``model``:
# vectors of two models are never compared); persons are the groups faces belong to.
# ``source`` says who put a face in its person: 'auto' (clustering, re-done freely) or
# 'manual' (a user's decision, never undone by a scan or re-cluster). ``face_scans``
# says which photos the face stage has done, so a killed scan resumes.
SCHEMA_PEOPLE = """
CREATE TABLE persons (
    id             INTEGER PRIMARY KEY,
    name           TEXT UNIQUE COLLATE NOCASE,
    hidden         INTEGER NOT NULL DEFAULT 0,
    avatar_face_id INTEGER,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE faces (
    id        INTEGER PRIMARY KEY,
    photo_id  INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    model     TEXT,
    x         INTEGER NOT NULL,
    y         INTEGER NOT NULL,
    w         INTEGER NOT NULL,
    h         INTEGER NOT NULL,
    score     REAL,
    vector    BLOB,
    person_id INTEGER REFERENCES persons (id) ON DELETE SET NULL,
    source    TEXT NOT NULL DEFAULT 'auto' CHECK (source IN ('auto', 'manual')),
    distance  REAL
);
CREATE INDEX faces_photo ON faces (photo_id);
CREATE INDEX faces_person ON faces (person_id);
CREATE TABLE face_scans (
    photo_id   INTEGER PRIMARY KEY REFERENCES photos (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    faces      INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    scanned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE face_rejections (
    face_id   INTEGER NOT NULL REFERENCES faces (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    PRIMARY KEY (face_id, person_id)
);
"""


def record_identities(conn: sqlite3.Connection) -> None:
    """Fill dev/inode/real path of the photos already catalogued (those reachable now).

    An older catalog may hold one file under two paths; recording what each path leads
    to lets the duplicate finder and resolve tell them apart before any re-index. One
    ``lstat`` per file, one ``realpath`` per folder (and per file that is a link).
    """
    rows = conn.execute("SELECT id, path, path_bytes FROM photos WHERE status != 'trashed'").fetchall()
    real_folders: dict[str, str] = {}
    found = []
    for photo_id, path, raw in rows:
        fs_path = os.fsdecode(raw) if raw is not None else path
        try:
            st = os.lstat(fs_path)
            if stat.S_ISLNK(st.st_mode):
                st, real = os.stat(fs_path), os.path.realpath(fs_path)
            else:
                folder, name = os.path.split(fs_path)
                if folder not in real_folders:
                    real_folders[folder] = os.path.realpath(folder)
                real = os.path.join(real_folders[folder], name)
        except (OSError, ValueError):
            continue
        found.append((st.st_dev, st.st_ino, path_to_db(real)[0], photo_id))
    conn.executemany("UPDATE photos SET dev = ?, ino = ?, real_path = ? WHERE id = ?", found)


# Duplicate keeper signals (core/duplicates/signals.py) per content: what a file's header and
# thumbnail say about where it came from, read once and kept, so building groups again does
# not reopen every member. `signals` is JSON; `version` is the reader's, stale rows are re-read.
SCHEMA_KEEPER_SIGNALS = """
CREATE TABLE duplicate_signals (
    sha256  TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    signals TEXT NOT NULL
);
"""

# Near-duplicates (core/duplicates): the perceptual hashes of five crop hypotheses of each
# photo (core.media.hashing.crop_hashes), so cropped copies become candidates. NULL until
# indexed again or backfilled from the thumbnail by the next duplicate search.
SCHEMA_CROP_HASHES = """
ALTER TABLE photos ADD COLUMN crop_hashes BLOB;
"""

# People's undo log (core/people/corrections.py): each correction stores the rows it changed
# as they were before (faces' person/source/distance, persons, rejections) as JSON, so
# ``undo_last`` puts them back exactly; a full re-cluster clears it.
SCHEMA_PEOPLE_UNDO = """
CREATE TABLE people_undo (
    id      INTEGER PRIMARY KEY,
    action  TEXT NOT NULL,
    done_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    before  TEXT NOT NULL
);
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial catalog", SCHEMA_V1),
    Migration(2, "albums, tags, marks, trash and duplicate decisions", SCHEMA_V2),
    Migration(3, "cloud backup and shares", SCHEMA_V3),
    Migration(4, "XMP sidecar sync state", SCHEMA_V4),
    Migration(5, "share size caps and remembered contributions", SCHEMA_SHARE_CONTRIBUTIONS),
    Migration(6, "file identity (device, inode, real path) and trash keepers", SCHEMA_IDENTITY, record_identities),
    Migration(7, "duplicate keeper signals cache", SCHEMA_KEEPER_SIGNALS),
    Migration(8, "crop-hypothesis hashes for near-duplicates", SCHEMA_CROP_HASHES),
    Migration(9, "people: faces, persons, scans and rejections", SCHEMA_PEOPLE),
    Migration(10, "people: undo log of corrections", SCHEMA_PEOPLE_UNDO),
)


class SchemaTooNew(sqlite3.DatabaseError):
    """The catalog was written by a newer Shoebox than this one."""


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version stored in the catalog (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def backup(conn: sqlite3.Connection, db_path: Path, version: int) -> Path:
    """Copy the catalog beside itself before it is migrated; returns the copy's path."""
    target = db_path.with_name(f"{db_path.name}.v{version}.bak")
    if target.exists():
        target = db_path.with_name(f"{db_path.name}.v{version}.{int(time.time())}.bak")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(conn: sqlite3.Connection, db_path: Path, migrations: tuple[Migration, ...]) -> list[int]:
    """Bring the catalog up to the newest migration; returns the versions applied."""
    latest = migrations[-1].version if migrations else 0
    version = current_version(conn)
    if version > latest:
        raise SchemaTooNew(
            f"this catalog has schema version {version}, but this Shoebox knows only up to "
            f"{latest}: upgrade Shoebox to open it (the catalog was left untouched)"
        )
    pending = [m for m in migrations if m.version > version]
    if not pending:
        return []
    if version > 0:
        backup(conn, db_path, version)
    applied = []
    for step in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if step.sql:
                for statement in _statements(step.sql):
                    conn.execute(statement)
            if step.run is not None:
                step.run(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, time.strftime("%Y-%m-%dT%H:%M:%S")),
            )
            conn.execute(f"PRAGMA user_version = {int(step.version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(step.version)
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (executescript would commit on its own)."""
    statements, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \n\t;"):
                statements.append(buffer.strip())
            buffer = ""
    return statements
