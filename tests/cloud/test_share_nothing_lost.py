"""Issue #9, sharing: every contribution arrives, shared copies carry an allow-list of metadata,
links end when Shoebox says they do, and no endpoint URL carries credentials. Real files, a real SeaweedFS."""

from __future__ import annotations

import base64
import io
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3
from PIL import Image, ImageCms

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root
from core.cloud.client import make_client
from core.cloud.target import CloudTarget
from core.collections import album_photo_ids, get_album, set_caption
from core.demo.pictures import Shot, write_photo
from core.indexing.indexer import index_library
from core.library import Library
from core.share.derivative import shared_copy
from tests.cloud.helpers import sha

HOME = "Home: 48.858370 N, 2.294481 E"
PARIS = (48.858370, 2.294481)


def _post(post: dict, name: str, body: bytes) -> urllib3.BaseHTTPResponse:
    """What a plain HTML form does: the page's own fields, then the file."""
    return urllib3.request(
        "POST", post["url"], fields={**post["fields"], "file": (name, body, "image/jpeg")}, retries=False
    )


def _get(url: str) -> urllib3.BaseHTTPResponse:
    return urllib3.request("GET", url, retries=False)


def _collect(cli, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("share", "--collect", "--album", "Party", "--expires", "1h", *extra, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _guest_photo(tmp_path: Path, name: str, seed: int, size: tuple[int, int] = (400, 300)) -> bytes:
    return write_photo(tmp_path / "guests" / f"{seed}-{name}", *size, seed, Shot(gps=PARIS)).read_bytes()


# --- 10. every contribution arrives ------------------------------------------------------------------


def test_two_guests_with_one_file_name_both_arrive(library: Library, target: CloudTarget, tmp_path: Path,
                                                   s3_server, cli) -> None:  # fmt: skip
    data = _collect(cli)
    first, second = _guest_photo(tmp_path, "IMG_0001.JPG", 1), _guest_photo(tmp_path, "IMG_0001.JPG", 2)
    for body in (first, second, first):  # the third guest sends the first guest's very photo
        answer = _post(data["post"], "IMG_0001.JPG", body)
        assert answer.status == 204, answer.data

    inbox = tmp_path / "inbox"
    stats = cli("share", "pull", "--to", str(inbox), "--json").json()
    assert (stats["downloaded"], stats["imported"], stats["duplicates"]) == (3, 2, 1), stats
    arrived = sorted(sha(p) for p in (inbox / "Party").iterdir())
    assert arrived == sorted([sha_of(first), sha_of(second)])  # both photos; the same bytes once
    album = get_album(library.db, "Party")
    assert album is not None and len(set(album_photo_ids(library.db, album.id))) == 2
    client = make_client(target)
    left = client.list_object_versions(Bucket=target.bucket, Prefix=f"backup/inbox/{data['id']}/")
    assert not left.get("Versions")  # pulled versions are gone from the bucket, for good
    assert cli("share", "pull", "--to", str(inbox), "--json").json()["downloaded"] == 0
    assert data["versioning_turned_on"] is True  # and said so
    assert s3_server.client().get_bucket_versioning(Bucket=target.bucket).get("Status") == "Enabled"
    probe = client.list_object_versions(Bucket=target.bucket, Prefix="backup/inbox/.versioning-probe")
    assert not probe.get("Versions") and not probe.get("DeleteMarkers")  # the proof left nothing behind


def sha_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_collect_refuses_a_bucket_whose_versioning_is_suspended(library: Library, target: CloudTarget,
                                                                s3_server, cli) -> None:  # fmt: skip
    s3_server.client().put_bucket_versioning(Bucket=target.bucket, VersioningConfiguration={"Status": "Suspended"})
    result = cli("share", "--collect", "--album", "Party", "--expires", "1h")
    assert result.code == 1
    assert "versioning is suspended" in result.err and "Traceback" not in result.err
    assert cli("share", "ls", "--json").json() == []  # no link was made
    assert s3_server.client().get_bucket_versioning(Bucket=target.bucket).get("Status") == "Suspended"  # not changed


def test_a_rejected_contribution_is_remembered_and_never_downloaded_again(library: Library, target: CloudTarget,
                                                                          tmp_path: Path, cli) -> None:  # fmt: skip
    data = _collect(cli)
    assert _post(data["post"], "broken.jpg", b"\xff\xd8\xff\xe0 this is not a JPEG at all" * 20).status == 204
    assert _post(data["post"], "notes.txt", b"not a photo").status == 204
    inbox = tmp_path / "inbox"
    stats = json.loads(cli("share", "pull", "--to", str(inbox), "--json").out)
    assert stats["downloaded"] == 1 and stats["imported"] == 0
    again = json.loads(cli("share", "pull", "--to", str(inbox), "--json").out)
    assert again["downloaded"] == 0
    assert sorted(p.name for p in (inbox / "Party").iterdir()) == ["broken.jpg"]  # no broken-2.jpg
    assert sorted(r["key"].rsplit("/", 1)[-1] for r in stats["rejections"]) == ["broken.jpg", "notes.txt"]
    assert (again["rejected"], again["rejected_before"]) == ([], 2)
    client = make_client(target)
    kept = client.list_objects_v2(Bucket=target.bucket, Prefix=f"backup/inbox/{data['id']}/").get("Contents", [])
    assert len(kept) == 2  # rejected contributions stay in the inbox: nothing a guest sent is deleted unread


def test_a_link_caps_each_file_and_the_total(library: Library, target: CloudTarget, tmp_path: Path, cli) -> None:
    photos = [_guest_photo(tmp_path, f"IMG_{n}.jpg", 10 + n) for n in range(3)]
    big = _guest_photo(tmp_path, "big.jpg", 20, (1600, 1200))
    cap = max(len(p) for p in photos) + 10
    assert len(big) > cap
    total = len(photos[0]) + len(photos[1]) + 1
    data = _collect(cli, "--max-file", str(cap), "--max-total", str(total))
    assert data["max_file_bytes"] == cap and data["max_total_bytes"] == total
    refused = _post(data["post"], "big.jpg", big)
    assert refused.status == 400 and b"EntityTooLarge" in refused.data  # the store enforces the per-file cap
    for n, body in enumerate(photos):
        assert _post(data["post"], f"IMG_{n}.jpg", body).status == 204
        time.sleep(0.01)  # distinct upload times: the first two count toward the total, in order
    stats = cli("share", "pull", "--to", str(tmp_path / "inbox"), "--json").json()
    assert stats["imported"] == 2
    assert [r["key"].rsplit("/", 1)[-1] for r in stats["rejections"]] == ["IMG_2.jpg"]
    assert "total" in stats["rejections"][0]["reason"]
    assert stats["closed"] == [data["id"]]
    assert _get(data["url"]).status in (403, 404)  # the upload page is gone once the total is reached
    again = cli("share", "pull", "--to", str(tmp_path / "inbox"), "--json").json()
    assert (again["downloaded"], again["rejected_before"], again["closed"]) == (0, 1, [])  # remembered, said once


def test_revoke_on_a_versioned_bucket_removes_the_copies_themselves(library: Library, target: CloudTarget,
                                                                    tmp_path: Path, cli) -> None:  # fmt: skip
    _collect(cli)  # versioning is on from here
    write_photo(tmp_path / "pics" / "IMG_1.jpg", 320, 240, 1, Shot(gps=PARIS))
    add_root(library.db, str(tmp_path / "pics"))
    index_library(library, workers=1)
    data = json.loads(cli("share", "IMG_1", "--json").out)
    assert cli("share", "revoke", data["id"]).code == 0
    client = make_client(target)
    left = client.list_object_versions(Bucket=target.bucket, Prefix=f"backup/shares/{data['id']}/")
    assert not left.get("Versions") and not left.get("DeleteMarkers")  # not hidden behind a marker: gone


def test_backups_still_work_on_the_bucket_an_upload_link_versioned(library: Library, target: CloudTarget,
                                                                    tmp_path: Path, cli) -> None:  # fmt: skip
    from core.cloud.backup import run_backup
    from core.cloud.restore import restore_photos
    from core.cloud.verify import verify_backup
    from tests.cloud.conftest import SMALL_SETTINGS
    from tests.cloud.helpers import MiB, make_library

    assert _collect(cli)["versioning_turned_on"] is True
    paths = make_library(library, tmp_path / "pics", [30_000, 6 * MiB])  # one PUT, one multipart upload
    stats = run_backup(library, target, settings=SMALL_SETTINGS)
    assert (stats.uploaded, stats.failed) == (2, 0)
    assert run_backup(library, target, settings=SMALL_SETTINGS).already_backed_up == 2
    report = verify_backup(library, target, deep=True)
    assert report.ok == 2, report
    restored = restore_photos(library, target, query="", to=tmp_path / "restored")
    assert sorted(sha(p) for p in (tmp_path / "restored").rglob("*.jpg")) == sorted(sha(p) for p in paths), restored


# --- 11. shared copies carry an allow-list of metadata --------------------------------------------


ALLOWED = {"ifd0": {0x010F, 0x0110, 0x010E, 0x8769, 0x8825, 0x9C9C}, "exif": {0x9003, 0x9011}}


def _segments(data: bytes) -> list[tuple[int, bytes]]:
    """JPEG marker segments before the image data: (marker, payload)."""
    found, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        found.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
    return found


def _assert_allow_list(copy: bytes) -> None:
    for marker, payload in _segments(copy):
        assert marker != 0xFE, "a JPEG comment (COM) survived"
        assert marker != 0xED, "an IPTC/Photoshop block survived"
        if marker == 0xE1:
            assert payload.startswith(b"Exif\x00\x00"), "an XMP packet survived"
        assert marker in (0xE0, 0xE1, 0xE2, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD), hex(marker)
    with Image.open(io.BytesIO(copy)) as image:
        exif = image.getexif()
        assert set(exif) <= ALLOWED["ifd0"], set(exif) - ALLOWED["ifd0"]
        assert set(exif.get_ifd(0x8769)) <= ALLOWED["exif"], set(exif.get_ifd(0x8769)) - ALLOWED["exif"]
        assert not exif.get_ifd(0xA005)  # no interoperability IFD
    assert b"48.858" not in copy and b"Home" not in copy


def _personal_jpeg(path: Path) -> Path:
    """A photo full of what must not travel: COM, XMP, IPTC, GPS, owner, serial, MakerNote; sRGB ICC; rotated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0131], exif[0x013B] = "Canon", "Canon EOS 40D", "Lightroom", "Jane Doe"
    exif[0x010E] = HOME
    exif[0x0112] = 6
    exif[0x8298] = "(c) Jane Doe, 12 Rue X"
    exif.get_ifd(0x8769).update({0x9003: "2021:07:01 10:00:00", 0x9011: "+02:00", 0x9004: "2021:07:01 10:00:00",
                                 0xA431: "SERIAL123", 0x927C: b"MakerNote with " + HOME.encode(),
                                 0x9286: b"ASCII\x00\x00\x00" + HOME.encode()})  # fmt: skip
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 30.1), 3: "E", 4: (2.0, 17.0, 40.1)})
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           f'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="{HOME}"/>'
           f"</rdf:RDF></x:xmpmeta>").encode()  # fmt: skip
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x10\x1c\x02\x5a\x00\x0c" + b"Home: 48.858"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(path, "JPEG", exif=exif.tobytes(), comment=HOME, xmp=xmp, icc_profile=icc,
               extra=b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc)  # fmt: skip
    return path


def test_a_comment_with_the_home_location_does_not_reach_the_no_location_copy(library: Library, target: CloudTarget,
                                                                              tmp_path: Path, cli) -> None:  # fmt: skip
    original = _personal_jpeg(tmp_path / "pics" / "home.jpg")
    before = sha(original)
    with Image.open(original) as check:  # the fixture really holds it all
        assert check.info.get("comment") == HOME.encode() and "xmp" in check.info and "icc_profile" in check.info
    add_root(library.db, str(tmp_path / "pics"))
    index_library(library, workers=1)
    photo = get_photo_by_path(library.db, str(original))
    assert photo is not None
    set_caption(library.db, [photo.id], "Summer at the lake")
    data = json.loads(cli("share", "home", "--json").out)
    copy = _get(data["links"][0]["url"]).data
    _assert_allow_list(copy)
    with Image.open(io.BytesIO(copy)) as image:
        exif = image.getexif()
        assert image.size == (48, 64)  # orientation applied to the pixels, none written
        assert 0x0112 not in exif
        assert (exif[0x010F], exif[0x0110], exif[0x010E]) == ("Canon", "Canon EOS 40D", "Summer at the lake")
        assert exif.get_ifd(0x8769) == {0x9003: "2021:07:01 10:00:00", 0x9011: "+02:00"}
        assert image.info.get("icc_profile") == Image.open(original).info["icc_profile"]  # colours kept
    assert sha(original) == before  # the original is only read


def test_real_camera_photos_share_only_the_allow_list(corpus: Path) -> None:
    samples = [corpus / "exif-samples/jpg/gps/DSCN0010.jpg", corpus / "exif-samples/jpg/Kodak_CX7530.jpg",
               corpus / "exif-samples/heic/IMG_5195.HEIC", corpus / "dups/DSCN0021__rotated_exif.jpg"]  # fmt: skip
    for path in samples:
        copy = shared_copy(path, max_size=512)
        _assert_allow_list(copy)
        with Image.open(io.BytesIO(copy)) as image:
            exif = image.getexif()
            assert not exif.get_ifd(0x8825), path.name
            assert exif.get(0x010F) and exif.get_ifd(0x8769).get(0x9003), path.name  # camera and date kept


def test_png_text_chunks_do_not_reach_the_copy(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HOME)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{HOME}</x:xmpmeta>")
    path = tmp_path / "screenshot.png"
    Image.new("RGB", (40, 30), (1, 2, 3)).save(path, pnginfo=info)
    _assert_allow_list(shared_copy(path))


def test_a_video_is_not_shared_and_says_why(library: Library, target: CloudTarget, tmp_path: Path, cli) -> None:
    from tests.core.test_media import _mp4

    root = tmp_path / "pics"
    write_photo(root / "party.jpg", 320, 240, 3, Shot())
    (root / "party.mp4").write_bytes(_mp4(3_700_000_000, 640, 480))
    add_root(library.db, str(root))
    index_library(library, workers=1)
    data = json.loads(cli("share", "party", "--json").out)
    assert [link["name"] for link in data["links"]] == ["party.jpg"]
    assert len(data["skipped"]) == 1 and "videos are not shared" in data["skipped"][0]


# --- 12. links never outlive the expires_at shown ---------------------------------------------------


def _url_ends(url: str) -> datetime:
    query = parse_qs(urlsplit(url).query)
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return signed + timedelta(seconds=int(query["X-Amz-Expires"][0]))


def _shown(expires_at: str) -> datetime:
    return datetime.strptime(expires_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_no_link_outlives_the_expiry_shoebox_shows(library: Library, target: CloudTarget, tmp_path: Path, cli) -> None:
    root = tmp_path / "pics"
    for n in range(6):  # full-size copies of these take over a second: signing crosses a second boundary
        write_photo(root / f"IMG_{n}.jpg", 3000, 2000, n, Shot(taken_at="2022:05:01 10:00:00"))
    add_root(library.db, str(root))
    index_library(library, workers=1)
    started = time.monotonic()
    result = cli("share", "IMG", "--max-size", "0", "--expires", "10s", "--json")
    took = time.monotonic() - started
    assert result.code == 0, result.err
    data = json.loads(result.out)
    shown = _shown(data["expires_at"])
    if took <= 1.0:
        pytest.skip(f"the share took {took:.1f} s: too quick to show the bug this guards")
    for url in [data["url"], *(link["url"] for link in data["links"])]:
        assert _url_ends(url) <= shown, (url, shown)
    again = cli("share", "links", data["id"], "--json").json()
    assert all(_url_ends(u) <= shown for u in [again["url"], *(link["url"] for link in again["links"])])
    time.sleep(max(0.0, (shown - datetime.now(UTC)).total_seconds()) + 1.2)
    assert _get(data["links"][-1]["url"]).status == 403  # the last-signed link is dead at the time shown
    assert _get(data["url"]).status == 403


def test_an_upload_link_ends_at_the_expiry_shown(library: Library, target: CloudTarget, cli) -> None:
    data = _collect(cli)
    shown = _shown(data["expires_at"])
    assert _url_ends(data["url"]) <= shown
    policy = json.loads(base64.b64decode(data["post"]["fields"]["policy"]))
    assert datetime.strptime(policy["expiration"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC) <= shown


# --- 13. no credentials in endpoint URLs ------------------------------------------------------------


def test_cloud_set_refuses_credentials_in_the_endpoint_url(tmp_path: Path, cli) -> None:
    result = cli(
        "cloud",
        "set",
        "s3://photos/backup",
        "--endpoint-url",
        "http://AKIDEXAMPLE:wJalrXUtnFEMI@127.0.0.1:9000",
        "--no-check",
    )
    assert result.code == 1
    assert "carries credentials" in result.err and "Traceback" not in result.err
    assert "wJalrXUtnFEMI" not in result.out + result.err and "AKIDEXAMPLE" not in result.out + result.err
    config = tmp_path / "library" / "config.toml"
    assert not config.exists() or "wJalrXUtnFEMI" not in config.read_text()


def test_an_old_config_with_credentials_in_the_endpoint_is_refused_naming_the_file(tmp_path: Path, cli) -> None:
    assert cli("ls").code == 0  # creates the library
    config = tmp_path / "library" / "config.toml"
    config.write_text(
        '[cloud]\ntarget = "s3://photos/backup"\nendpoint_url = "http://AKIDEXAMPLE:wJalrXUtnFEMI@127.0.0.1:9000"\n'
    )
    for command in (("cloud", "show"), ("share", "ls"), ("backup",), ("share", "pull")):
        result = cli(*command)
        assert result.code != 0, command
        assert str(config) in result.err and "carries credentials" in result.err, (command, result.err)
        assert "wJalrXUtnFEMI" not in result.out + result.err, command


def test_credentials_in_the_aws_endpoint_variable_are_refused(library: Library, target: CloudTarget,
                                                              monkeypatch: pytest.MonkeyPatch, cli) -> None:  # fmt: skip
    from core.cloud.target import save_target

    save_target(library.directory, CloudTarget(target.bucket, target.prefix))  # no endpoint in config.toml
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://AKIDEXAMPLE:wJalrXUtnFEMI@127.0.0.1:9")
    result = cli("share", "pull")
    assert result.code == 1 and "AWS_ENDPOINT_URL" in result.err and "wJalrXUtnFEMI" not in result.err
