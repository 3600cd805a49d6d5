"""Verify finds missing and damaged objects; restore and rebuild bring back the same bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.catalog.photos import count_photos, forget_gone, get_photo_by_path
from core.cloud import ledger
from core.cloud.backup import run_backup
from core.cloud.client import make_client
from core.cloud.keys import object_key
from core.cloud.target import CloudTarget, load_target, save_target
from core.cloud.verify import verify_backup
from core.library import Library
from tests.cloud.conftest import SMALL_SETTINGS
from tests.cloud.helpers import MiB, make_library, same_bytes, sha, write_file
from tests.cloud.seaweed import SeaweedServer


def sha_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_verify_catches_a_corrupted_and_a_missing_object(library: Library, target: CloudTarget, tmp_path: Path,
                                                         cli) -> None:  # fmt: skip
    paths = make_library(library, tmp_path / "pics", [20_000, 30_000, 6 * MiB])
    run_backup(library, target, settings=SMALL_SETTINGS)
    assert cli("cloud", "verify").code == 0
    client = make_client(target)
    damaged, gone = object_key(target, sha(paths[0])), object_key(target, sha(paths[1]))
    # Same size, same metadata, other bytes: only the content differs.
    client.put_object(Bucket=target.bucket, Key=damaged, Body=os.urandom(20_000), Metadata={"sha256": sha(paths[0])})
    client.delete_object(Bucket=target.bucket, Key=gone)

    result = cli("cloud", "verify", "--json")
    assert result.code == 1
    report = json.loads(result.out)
    assert {(i["path"], i["problem"]) for i in report["issues"]} == {(str(paths[0]), "changed"),
                                                                     (str(paths[1]), "missing")}  # fmt: skip
    assert report["ok"] == 1 and report["requeued"] == 2

    client.delete_object(Bucket=target.bucket, Key="backup/manifest.json.gz")
    assert "manifest missing" in {i.problem for i in verify_backup(library, target).issues}

    repaired = run_backup(library, target, settings=SMALL_SETTINGS)
    assert repaired.uploaded == 2 and repaired.manifest == "backup/manifest.json.gz"
    assert verify_backup(library, target, deep=True).healthy


def test_deep_verify_catches_bit_rot_on_the_server_disk(own_s3_server: SeaweedServer, monkeypatch, tmp_path: Path,
                                                        library: Library) -> None:  # fmt: skip
    from core.cloud.target import parse_target
    from tests.cloud.conftest import make_bucket, use_credentials

    use_credentials(monkeypatch, tmp_path, own_s3_server)
    target = parse_target(f"s3://{make_bucket(own_s3_server)}", endpoint_url=own_s3_server.endpoint)
    (photo,) = make_library(library, tmp_path / "pics", [300_000])
    run_backup(library, target, settings=SMALL_SETTINGS)
    assert verify_backup(library, target, deep=True).healthy
    own_s3_server.stop()
    needle = photo.read_bytes()[100_000:100_064]
    flipped = 0
    for volume in (own_s3_server.directory / "data").rglob("*.dat"):
        data = bytearray(volume.read_bytes())
        at = data.find(needle)
        if at >= 0:
            data[at + 10] ^= 0xFF
            volume.write_bytes(bytes(data))
            flipped += 1
    assert flipped == 1
    own_s3_server.start()
    assert verify_backup(library, target).healthy  # size and ETag cannot see it
    # SeaweedFS notices the needle's CRC and never answers: a short read timeout stands for "unreadable".
    impatient = make_client(target, read_timeout=2, attempts=1)
    deep = verify_backup(library, target, deep=True, client=impatient)
    assert not deep.healthy and deep.damaged == 1
    problem = deep.issues[0].problem
    assert problem == "checksum mismatch" or problem.startswith("unreadable"), problem
    assert ledger.get(library.db, target.url, sha(photo)).state == "queued"  # the next backup replaces it


def test_restore_is_byte_identical_and_never_overwrites_a_different_file(library: Library, target: CloudTarget,
                                                                         tmp_path: Path, cli) -> None:  # fmt: skip
    paths = make_library(library, tmp_path / "pics", [25_000, 35_000, 7 * MiB, 45_000])
    sidecar = paths[3].with_suffix(".xmp")
    sidecar.write_text("<xmp>rating 4</xmp>")
    originals = {p: p.read_bytes() for p in [*paths, sidecar]}
    run_backup(library, target, settings=SMALL_SETTINGS)
    paths[0].unlink()
    paths[2].unlink()
    sidecar.unlink()
    forget_gone(library.db, [str(paths[0]), str(paths[2])])
    write_file(paths[1], 35_000, seed=1234)  # someone replaced this one: it must be left alone
    replaced = paths[1].read_bytes()

    result = cli("restore", "--all", "--json")
    assert result.code == 1  # the conflict is reported
    stats = json.loads(result.out)
    assert (stats["restored"], stats["identical"], stats["conflicts"]) == (2, 1, [str(paths[1])])
    assert paths[0].read_bytes() == originals[paths[0]] and paths[2].read_bytes() == originals[paths[2]]
    assert sidecar.read_bytes() == originals[sidecar]
    assert paths[1].read_bytes() == replaced
    assert get_photo_by_path(library.db, str(paths[0])).status == "present"
    assert paths[0].stat().st_mtime_ns == get_photo_by_path(library.db, str(paths[0])).mtime_ns
    assert not list((tmp_path / "pics").rglob("*.part"))

    to = tmp_path / "elsewhere"
    result = cli("restore", "album1", "--to", str(to), "--json")
    assert result.code == 0, result.err
    for path in (paths[1], paths[3]):
        copy = to / "pics" / path.relative_to(tmp_path / "pics")
        assert copy.read_bytes() == originals[path]
    assert cli("restore").code == 2


def test_restore_of_content_not_backed_up_says_so(library: Library, target: CloudTarget, tmp_path: Path, cli) -> None:
    (photo,) = make_library(library, tmp_path / "pics", [10_000])
    photo.unlink()
    result = cli("restore", "--all", "--json")
    assert result.code == 1
    assert json.loads(result.out)["not_backed_up"] == [str(photo)]
    assert not photo.exists()


def test_rebuild_recreates_the_library_from_the_bucket_alone(library: Library, target: CloudTarget, tmp_path: Path,
                                                             cli) -> None:  # fmt: skip
    from core.collections import add_to_album, albums_of, create_album, get_marks, set_rating, tag_photos, tags_of

    paths = make_library(library, tmp_path / "pics", [20_000, 30_000, 6 * MiB])
    (tmp_path / "pics" / "album0" / "IMG_0000.xmp").write_text("<xmp/>")
    first = get_photo_by_path(library.db, str(paths[0]))
    add_to_album(library.db, create_album(library.db, "Best of").id, [first.id])
    tag_photos(library.db, [first.id], ["family", "summer"])
    set_rating(library.db, [first.id], 4)
    run_backup(library, target, settings=SMALL_SETTINGS)

    new_library = tmp_path / "new-machine" / "library"
    new = Library.open(new_library)
    save_target(new.directory, target)
    new.close()
    result = cli("cloud", "rebuild", str(tmp_path / "new-machine" / "photos"), "--json", library=new_library)
    assert result.code == 0, result.err
    stats = json.loads(result.out)
    assert stats["catalogued"] == 3 and stats["downloaded"] == 3
    rebuilt = tmp_path / "new-machine" / "photos" / "pics"
    for path in paths:
        assert same_bytes(path, rebuilt / path.relative_to(tmp_path / "pics"))
    assert (rebuilt / "album0" / "IMG_0000.xmp").read_text() == "<xmp/>"
    with Library.open(new_library) as reopened:
        assert count_photos(reopened.db) == 3
        assert load_target(reopened.directory) == target
        assert ledger.summary(reopened.db, target.url)["uploaded"]["count"] == 4
        photo = get_photo_by_path(reopened.db, str(rebuilt / "album0" / "IMG_0000.jpg"))
        assert photo is not None and photo.taken_at == "2020-01-01T12:00:00"
        assert [a.name for a in albums_of(reopened.db, photo.id)] == ["Best of"]
        assert tags_of(reopened.db, photo.id) == ["family", "summer"]
        assert get_marks(reopened.db, photo.id).rating == 4
    again = cli("backup", "--json", library=new_library)
    assert json.loads(again.out)["uploaded"] == 0
    assert cli("cloud", "verify", library=new_library).code == 0


def test_restore_to_a_full_disk_says_so_leaves_no_partial_files_and_resumes(library: Library, target: CloudTarget,
                                                                           tmp_path: Path) -> None:  # fmt: skip
    from tests.small_disk import in_small_disk

    paths = make_library(library, tmp_path / "pics", [30_000, 3 * MiB, 40_000])
    originals = {p.name: p.read_bytes() for p in paths}
    run_backup(library, target, settings=SMALL_SETTINGS)
    to = tmp_path / "restore-here"
    to.mkdir()
    result = in_small_disk(
        to,
        "1m",
        f"""
        SHOEBOX restore --all --to {to} --json > {tmp_path}/first.json; echo "first=$?"
        find {to} -name '*.part' | wc -l
        mount -o remount,size=32m {to}
        SHOEBOX restore --all --to {to} --json > {tmp_path}/second.json; echo "second=$?"
        find {to} -type f -exec sha256sum {{}} + > {tmp_path}/restored.txt
    """,
        library.directory,
    )
    lines = result.stdout.split()
    assert "first=1" in lines, result.stderr
    assert lines[lines.index("first=1") + 1] == "0"  # no half-written file left behind
    first = json.loads((tmp_path / "first.json").read_text())
    assert any("No space left on device" in failure for failure in first["failed"])
    assert "second=0" in lines, result.stderr
    restored = {
        Path(line.split()[1]).name: line.split()[0] for line in (tmp_path / "restored.txt").read_text().splitlines()
    }
    assert restored == {name: sha_bytes(data) for name, data in originals.items()}
