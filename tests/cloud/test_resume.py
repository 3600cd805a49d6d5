"""Interrupted backups resume: the uploader SIGKILLed, the server killed and restarted."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from pathlib import Path

from core.cloud import ledger
from core.cloud.backup import run_backup
from core.cloud.client import make_client
from core.cloud.keys import object_key
from core.cloud.restore import restore_photos
from core.cloud.target import CloudTarget, TransferSettings, parse_target, save_target
from core.cloud.verify import verify_backup
from core.config import set_value
from core.library import Library
from tests.cloud.conftest import make_bucket, use_credentials
from tests.cloud.helpers import MiB, make_library, same_bytes, sha
from tests.cloud.seaweed import SeaweedServer
from tests.kill import count_rows, kill_when, start_shoebox

PART = 5 * MiB


def _parts_recorded(db: Path) -> int:
    return count_rows(db, "SELECT count(*) FROM cloud_parts")


def _parts_of(size: int) -> int:
    return -(-size // PART)


def test_sigkill_of_the_uploader_resumes_without_resending_acknowledged_parts(
    library: Library, target: CloudTarget, tmp_path: Path, cli
) -> None:
    sizes = [21 * MiB, 16 * MiB, 200_000, 300_000]
    paths = make_library(library, tmp_path / "pics", sizes)
    for key, value in (("multipart_threshold", PART), ("part_size", PART), ("concurrency", 2)):
        set_value(library.directory, "cloud", key, value)
    proc = start_shoebox(library.directory, "backup", "--json", "--bandwidth", "12MB/s", stderr=subprocess.PIPE)
    db = library.directory / "catalog.db"
    killed = kill_when(proc, lambda: _parts_recorded(db) >= 3, poll=0.02)
    assert killed, f"the backup ended before it could be killed: {proc.stderr.read().decode()}"
    proc.stderr.close()
    recorded = _parts_recorded(db)
    assert recorded >= 3
    in_flight = len(ledger.all_multipart(library.db, target.url))
    assert in_flight >= 1

    resumed = cli("backup", "--json")
    assert resumed.code == 0, resumed.err
    stats = json.loads(resumed.out)
    multipart_parts = sum(_parts_of(size) for size in sizes if size > PART)
    assert stats["parts_resumed"] >= recorded
    # Only the parts never acknowledged are sent: at most the one per file that was cut off mid-way.
    assert stats["parts_sent"] <= multipart_parts - recorded
    assert stats["parts_sent"] + stats["parts_resumed"] <= multipart_parts + in_flight
    client = make_client(target)
    assert client.list_multipart_uploads(Bucket=target.bucket).get("Uploads", []) == []
    assert ledger.all_multipart(library.db, target.url) == {}
    report = verify_backup(library, target, deep=True)
    assert report.healthy and report.ok == len(paths)
    restored = restore_photos(library, target, query="", to=tmp_path / "restored")
    assert restored.restored == len(paths)
    for path in paths:
        assert same_bytes(path, tmp_path / "restored" / "pics" / path.relative_to(tmp_path / "pics"))


def test_server_killed_and_restarted_mid_backup(own_s3_server: SeaweedServer, monkeypatch, tmp_path: Path,
                                                library: Library) -> None:  # fmt: skip
    server = own_s3_server
    use_credentials(monkeypatch, tmp_path, server)
    bucket = make_bucket(server)
    target = parse_target(f"s3://{bucket}/b", endpoint_url=server.endpoint)
    save_target(library.directory, target)
    sizes = [16 * MiB, 11 * MiB, *([300_000] * 6)]
    paths = make_library(library, tmp_path / "pics", sizes)
    settings = TransferSettings(multipart_threshold=PART, part_size=PART, concurrency=2, bandwidth=10_000_000)
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(stats=run_backup(library, target, settings=settings)))
    worker.start()
    deadline = time.monotonic() + 60
    while _parts_recorded(library.directory / "catalog.db") < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.stop(kill=True)  # a crash mid-upload
    time.sleep(1.5)
    server.start()
    worker.join(timeout=120)
    assert not worker.is_alive()
    first = result["stats"]
    runs = [first]
    if first.remaining or first.failed:  # the run may give up while the server is away; the next one finishes
        runs.append(run_backup(library, target, settings=TransferSettings(multipart_threshold=PART, part_size=PART)))
    final = runs[-1]
    assert final.remaining == 0 and final.failed == 0, [r.errors for r in runs]
    assert ledger.summary(library.db, target.url)["uploaded"]["count"] == len(paths)
    assert make_client(target).list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    report = verify_backup(library, target, deep=True)
    assert report.healthy, report.issues
    head = make_client(target).head_object(Bucket=bucket, Key=object_key(target, sha(paths[0])))
    assert head["Metadata"]["sha256"] == sha(paths[0])
