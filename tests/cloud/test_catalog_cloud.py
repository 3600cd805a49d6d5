"""On a real SeaweedFS: the catalog snapshot goes to the bucket with the manifest; a killed
restore's half-downloaded files are removed by the next run."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from core.catalog import snapshots
from core.catalog.photos import get_photo_by_path
from core.cloud.backup import run_backup
from core.cloud.client import make_client
from core.cloud.keys import catalog_prefix
from core.cloud.target import CloudTarget
from core.collections import add_to_album, create_album
from core.library import Library
from tests.cloud.conftest import SMALL_SETTINGS
from tests.cloud.helpers import MiB, make_library

ROOT = Path(__file__).resolve().parents[2]


def _catalog_keys(target: CloudTarget) -> list[str]:
    answer = make_client(target).list_objects_v2(Bucket=target.bucket, Prefix=catalog_prefix(target))
    return sorted(obj["Key"] for obj in answer.get("Contents", []))


def test_backup_puts_the_newest_catalog_snapshot_beside_the_manifest(library: Library, target: CloudTarget,
                                                                      tmp_path: Path) -> None:  # fmt: skip
    paths = make_library(library, tmp_path / "pics", [20_000, 30_000])
    add_to_album(library.db, create_album(library.db, "Trip").id, [get_photo_by_path(library.db, str(paths[0])).id])
    newest = snapshots.take_snapshot(library.db.conn, library.db.path)  # as the next day's first write would

    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert stats.manifest == "backup/manifest.json.gz"
    assert stats.catalog_snapshot == f"backup/catalog/catalog-{newest.id}.db.gz"
    answer = make_client(target).get_object(Bucket=target.bucket, Key=stats.catalog_snapshot)
    packed = answer["Body"].read()
    assert answer["Metadata"]["sha256"] == hashlib.sha256(packed).hexdigest()
    assert gzip.decompress(packed) == newest.path.read_bytes()
    copy = tmp_path / "from-bucket.db"
    copy.write_bytes(gzip.decompress(packed))
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM photos").fetchone()[0] == 2
    assert conn.execute("SELECT name FROM albums").fetchall() == [("Trip",)]
    conn.close()

    assert run_backup(library, target, settings=SMALL_SETTINGS).catalog_snapshot is None  # already there


def test_the_bucket_keeps_the_newest_seven_catalog_snapshots(library: Library, target: CloudTarget,
                                                             tmp_path: Path) -> None:  # fmt: skip
    make_library(library, tmp_path / "pics", [10_000])
    client = make_client(target)
    old = [f"backup/catalog/catalog-202001{day:02d}T120000Z.db.gz" for day in range(1, 10)]
    for key in old:
        client.put_object(Bucket=target.bucket, Key=key, Body=b"an old snapshot")
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert _catalog_keys(target) == sorted([*old[-6:], stats.catalog_snapshot])


_KILLED_RESTORE = """
import os, signal, sys, types
import core.cloud.download as download
from core.cloud.restore import restore_photos
from core.cloud.target import load_target
from core.library import Library

# Killed (SIGKILL) the moment the first download's bytes are written, before they are linked into place.
real = os
download.os = types.SimpleNamespace(**{name: getattr(real, name) for name in dir(real) if not name.startswith("__")})
download.os.fsync = lambda fd: real.kill(real.getpid(), signal.SIGKILL)
library = Library.open(sys.argv[1], create=False)
restore_photos(library, load_target(library.directory), query="", concurrency=1)
"""


def test_a_killed_restore_leaves_no_part_files_after_the_next_run(library: Library, target: CloudTarget,
                                                                  tmp_path: Path, cli) -> None:  # fmt: skip
    paths = make_library(library, tmp_path / "pics", [25_000, 6 * MiB])
    originals = {p: p.read_bytes() for p in paths}
    run_backup(library, target, settings=SMALL_SETTINGS)
    for path in paths:
        path.unlink()
    not_ours = paths[0].with_name(f".{paths[0].name}.shoebox-0badf00d.part")  # no journal lists it
    not_ours.write_bytes(b"someone else's")

    killed = subprocess.run([sys.executable, "-c", _KILLED_RESTORE, str(library.directory)], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    left = [p for p in (tmp_path / "pics").rglob("*.part") if p != not_ours]
    assert len(left) == 1 and left[0].name.startswith(".IMG_") and ".shoebox-" in left[0].name

    result = cli("restore", "--all", "--json")
    assert result.code == 0, result.err
    stats = json.loads(result.out)
    assert (stats["restored"], stats["partials_removed"]) == (2, 1)
    assert not left[0].exists()
    assert not_ours.read_bytes() == b"someone else's"  # only the files a run journaled are removed
    assert all(p.read_bytes() == originals[p] for p in paths)
    assert not list((library.directory / "cloud-partials").glob("*.list"))
