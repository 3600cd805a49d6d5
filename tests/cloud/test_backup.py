"""Backup against a real SeaweedFS: content-addressed, verified, multipart, deduplicated."""

from __future__ import annotations

import json
import time
from pathlib import Path

from core.catalog.photos import forget_gone
from core.cloud import ledger
from core.cloud.backup import run_backup
from core.cloud.client import make_client
from core.cloud.keys import manifest_key, object_key
from core.cloud.manifest import fetch_manifest
from core.cloud.target import CloudTarget, TransferSettings
from core.config import load_config, set_value
from core.library import Library
from tests.cloud.conftest import SMALL_SETTINGS, make_bucket, use_credentials
from tests.cloud.helpers import MiB, catalogue, make_library, sha, write_file
from tests.cloud.seaweed import SeaweedServer


def test_backup_uploads_each_content_once_with_its_sha256(
    library: Library, target: CloudTarget, tmp_path: Path
) -> None:
    paths = make_library(library, tmp_path / "pics", [40_000, 90_000, 11 * MiB, 6 * MiB])
    copy = tmp_path / "pics" / "copies" / "same.jpg"
    copy.parent.mkdir()
    copy.write_bytes(paths[0].read_bytes())
    catalogue(library, tmp_path / "pics", [copy])

    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert (stats.photos, stats.contents, stats.uploaded, stats.failed, stats.remaining) == (5, 4, 4, 0, 0)
    assert stats.parts_sent == 3 + 2  # 11 MiB and 6 MiB in 5 MiB parts; the small files in one PUT each
    client = make_client(target)
    for path in paths:
        head = client.head_object(Bucket=target.bucket, Key=object_key(target, sha(path)))
        assert head["Metadata"]["sha256"] == sha(path)
        assert head["ContentLength"] == path.stat().st_size
    big = client.head_object(Bucket=target.bucket, Key=object_key(target, sha(paths[2])))
    assert big["ETag"].strip('"').endswith("-3")
    assert client.list_multipart_uploads(Bucket=target.bucket).get("Uploads", []) == []

    again = run_backup(library, target, settings=SMALL_SETTINGS)
    assert (again.uploaded, again.already_backed_up, again.bytes_uploaded, again.manifest) == (0, 4, 0, None)


def test_a_moved_photo_is_not_uploaded_again(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    paths = make_library(library, tmp_path / "pics", [30_000, 30_000])
    run_backup(library, target, settings=SMALL_SETTINGS)
    moved = tmp_path / "pics" / "elsewhere" / "renamed.jpg"
    moved.parent.mkdir()
    paths[0].rename(moved)
    forget_gone(library.db, [str(paths[0])])
    catalogue(library, tmp_path / "pics", [moved])
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert stats.uploaded == 0 and stats.already_backed_up == 2
    assert stats.manifest is not None  # the manifest follows the move
    _, records = fetch_manifest(make_client(target), target)
    paths_in_manifest = {r["path"]: r["status"] for r in records}
    assert paths_in_manifest[str(moved)] == "present" and paths_in_manifest[str(paths[0])] == "missing"


def test_manifest_maps_keys_to_paths(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    paths = make_library(library, tmp_path / "pics", [20_000, 25_000])
    run_backup(library, target, settings=SMALL_SETTINGS)
    header, records = fetch_manifest(make_client(target), target)
    records = list(records)
    assert header["format"] == "shoebox-manifest" and header["roots"] == [str(tmp_path / "pics")]
    assert {r["path"]: r["key"] for r in records} == {str(p): object_key(target, sha(p)) for p in paths}
    assert {r["relative"] for r in records} == {"album0/IMG_0000.jpg", "album1/IMG_0001.jpg"}
    assert manifest_key(target) == "backup/manifest.json.gz"


def test_dry_run_uploads_nothing(library: Library, target: CloudTarget, tmp_path: Path, cli) -> None:
    make_library(library, tmp_path / "pics", [10_000, 20_000])
    result = cli("backup", "--dry-run", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["dry_run"] and data["contents"] == 2 and data["bytes_planned"] == 30_000
    assert ledger.summary(library.db, target.url) == {}
    listing = make_client(target).list_objects_v2(Bucket=target.bucket)
    assert listing.get("KeyCount", 0) == 0


def test_cli_set_show_and_backup_never_store_credentials(s3_server: SeaweedServer, monkeypatch, tmp_path: Path,
                                                         library: Library, cli) -> None:  # fmt: skip
    use_credentials(monkeypatch, tmp_path, s3_server)
    make_library(library, tmp_path / "pics", [10_000])
    result = cli("cloud", "set", "s3://shoebox-made-by-set/p", "--endpoint-url", s3_server.endpoint, "--create-bucket")
    assert result.code == 0, result.err
    assert load_config(library.directory)["cloud"] == {"target": "s3://shoebox-made-by-set/p",
                                                       "endpoint_url": s3_server.endpoint}  # fmt: skip
    backup = cli("backup", "--json")
    assert backup.code == 0, backup.err
    assert json.loads(backup.out)["uploaded"] == 1
    shown = cli("cloud", "show", "--json").json()
    assert shown["objects"]["uploaded"]["count"] == 1
    everything = (library.directory / "config.toml").read_bytes() + (library.directory / "catalog.db").read_bytes()
    for secret in (s3_server.secret_key, s3_server.access_key):
        assert secret.encode() not in everything
        assert secret not in backup.out + backup.err + result.out + result.err


def test_wrong_credentials_give_a_clear_error(s3_server: SeaweedServer, monkeypatch, tmp_path: Path,
                                              library: Library, cli) -> None:  # fmt: skip
    use_credentials(monkeypatch, tmp_path, s3_server)
    bucket = make_bucket(s3_server)
    make_library(library, tmp_path / "pics", [10_000])
    assert cli("cloud", "set", f"s3://{bucket}", "--endpoint-url", s3_server.endpoint).code == 0
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    result = cli("backup")
    assert result.code == 1
    assert "credentials" in result.err and "Traceback" not in result.err
    assert "not-the-secret" not in result.err
    refused = cli("cloud", "set", f"s3://{bucket}", "--endpoint-url", s3_server.endpoint)
    assert refused.code == 1 and "credentials" in refused.err
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "NOSUCHKEY")
    assert "credentials" in cli("cloud", "verify").err
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    missing = cli("backup")
    assert missing.code == 1 and "no AWS credentials found" in missing.err


def test_unreachable_endpoint_says_so(library: Library, monkeypatch, tmp_path: Path, cli) -> None:
    from tests.cloud.seaweed import free_ports

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = cli("cloud", "set", "s3://nobody-home", "--endpoint-url", f"http://127.0.0.1:{free_ports(1)[0]}")
    assert result.code == 1 and "cannot reach" in result.err


def test_a_file_changed_since_indexing_is_not_uploaded_under_its_old_key(library: Library, target: CloudTarget,
                                                                         tmp_path: Path) -> None:  # fmt: skip
    small, big = make_library(library, tmp_path / "pics", [10_000, 7 * MiB])
    old_small, old_big = sha(small), sha(big)
    write_file(small, 10_000, seed=99)  # same size, other bytes
    with open(big, "r+b") as handle:  # a byte changed in the last part
        handle.seek(7 * MiB - 10)
        handle.write(b"!")
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert stats.failed == 2 and stats.uploaded == 0
    assert all("changed since it was indexed" in e for e in stats.errors)
    client = make_client(target)
    listing = client.list_objects_v2(Bucket=target.bucket, Prefix="backup/objects/")
    assert listing.get("KeyCount", 0) == 0
    assert client.list_multipart_uploads(Bucket=target.bucket).get("Uploads", []) == []
    assert ledger.get(library.db, target.url, old_small).state == "failed"
    assert ledger.get(library.db, target.url, old_big).state == "failed"


def test_bandwidth_limit_is_honoured(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    make_library(library, tmp_path / "pics", [600_000, 600_000, 600_000])
    started = time.monotonic()
    stats = run_backup(library, target, settings=TransferSettings(bandwidth=1_000_000, concurrency=3))
    elapsed = time.monotonic() - started
    assert stats.uploaded == 3
    assert elapsed >= 1.4  # 1.8 MB at 1 MB/s, less the first burst


def test_orphaned_multipart_upload_is_aborted(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    (big,) = make_library(library, tmp_path / "pics", [6 * MiB])
    client = make_client(target)
    key = object_key(target, sha(big))
    # As if a backup were killed between starting the upload and recording it.
    orphan = client.create_multipart_upload(Bucket=target.bucket, Key=key)["UploadId"]
    client.upload_part(Bucket=target.bucket, Key=key, UploadId=orphan, PartNumber=1, Body=b"x" * (5 * MiB))
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert stats.aborted_uploads == 1 and stats.uploaded == 1
    assert client.list_multipart_uploads(Bucket=target.bucket).get("Uploads", []) == []


def test_sidecars_are_backed_up(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    (photo,) = make_library(library, tmp_path / "pics", [15_000])
    sidecar = photo.with_suffix(".xmp")
    sidecar.write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rating>5</rating></x:xmpmeta>')
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert stats.uploaded == 2
    _, records = fetch_manifest(make_client(target), target)
    (record,) = list(records)
    assert record["sidecars"] == [{"key": object_key(target, sha(sidecar)), "sha256": sha(sidecar),
                                   "name": "IMG_0000.xmp", "size": sidecar.stat().st_size}]  # fmt: skip


def test_transfer_settings_come_from_config(library: Library, tmp_path: Path) -> None:
    from core.cloud.target import transfer_settings

    set_value(library.directory, "cloud", "part_size", 8 * MiB)
    set_value(library.directory, "cloud", "concurrency", 2)
    settings = transfer_settings(library.directory, bandwidth=5_000_000)
    assert (settings.part_size, settings.concurrency, settings.bandwidth) == (8 * MiB, 2, 5_000_000)


def test_only_one_backup_of_a_library_runs_at_a_time(library: Library, target: CloudTarget, tmp_path: Path) -> None:
    import pytest

    from core.cloud.backup import backup_lock
    from core.cloud.errors import CloudError

    make_library(library, tmp_path / "pics", [10_000])
    with backup_lock(library.directory):
        with pytest.raises(CloudError, match="another backup of this library is running"):
            run_backup(library, target, settings=SMALL_SETTINGS)
    assert run_backup(library, target, settings=SMALL_SETTINGS).uploaded == 1


def test_commands_without_a_target_say_how_to_set_one(library: Library, cli) -> None:
    for command in (["backup"], ["cloud", "verify"], ["restore", "--all"], ["share", "ls"], ["cloud", "rebuild", "x"]):
        result = cli(*command)
        assert result.code == 1 and "shoebox cloud set s3://" in result.err, command
    assert "no backup target" in cli("cloud", "show").out
    bad = cli("cloud", "set", "https://example.com/bucket", "--no-check")
    assert bad.code == 1 and "not an S3 location" in bad.err
    assert cli("backup", "--bandwidth", "fast").code == 2  # a bad argument: one line, exit 2 (#9)
