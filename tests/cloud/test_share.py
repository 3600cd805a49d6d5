"""Sharing on a real SeaweedFS: expiring links, GPS-free copies, revoke, contributor upload and pull."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest
import urllib3
from PIL import Image

from core.catalog.roots import add_root
from core.cloud.client import make_client
from core.cloud.target import CloudTarget
from core.collections import album_photo_ids, get_album
from core.demo.pictures import Shot, write_photo
from core.indexing.indexer import index_library
from core.library import Library
from core.share.durations import parse_duration
from tests.cloud.helpers import sha

PARIS = (48.8584, 2.2945)


@pytest.fixture
def photos(library: Library, tmp_path: Path) -> list[Path]:
    root = tmp_path / "pics"
    paths = [
        write_photo(root / "trip" / f"IMG_{n}.jpg", 640, 480, n,
                    Shot(taken_at=f"2021:07:0{n + 1} 10:00:00", make="Canon", model="Canon EOS 40D", gps=PARIS))
        for n in range(3)
    ]  # fmt: skip
    add_root(library.db, str(root))
    index_library(library, workers=1)
    return paths


def _get(url: str) -> urllib3.BaseHTTPResponse:
    return urllib3.request("GET", url, retries=False)


def test_link_works_then_expires_and_the_copy_has_no_location(library: Library, target: CloudTarget,
                                                              photos: list[Path], cli) -> None:  # fmt: skip
    before = [sha(p) for p in photos]
    result = cli("share", "year:2021", "--expires", "4s", "--max-size", "320", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data["links"]) == 3 and data["strip_gps"]
    answer = _get(data["links"][0]["url"])
    assert answer.status == 200
    with Image.open(io.BytesIO(answer.data)) as copy:
        exif = copy.getexif()
        assert max(copy.size) == 320
        assert not exif.get_ifd(0x8825)  # no GPS
        assert exif.get(0x0110) == "Canon EOS 40D" and exif.get_ifd(0x8769).get(0x9003) == "2021:07:01 10:00:00"
    page = _get(data["url"])
    assert page.status == 200 and b"IMG_0.jpg" in page.data and b"<img" in page.data
    assert [sha(p) for p in photos] == before  # originals untouched
    with Image.open(photos[0]) as original:
        assert original.getexif().get_ifd(0x8825)  # the original keeps its location
    time.sleep(4.5)
    assert _get(data["links"][0]["url"]).status == 403
    assert _get(data["url"]).status == 403
    listed = cli("share", "ls", "--json").json()
    assert listed[0]["state"] == "expired"


def test_keep_gps_keeps_the_location(library: Library, target: CloudTarget, photos: list[Path], cli) -> None:
    data = json.loads(cli("share", "IMG_1", "--keep-gps", "--json").out)
    with Image.open(io.BytesIO(_get(data["links"][0]["url"]).data)) as copy:
        assert copy.getexif().get_ifd(0x8825)


def test_revoke_stops_links_before_they_expire(library: Library, target: CloudTarget, photos: list[Path],
                                               cli) -> None:  # fmt: skip
    from core.cloud.backup import run_backup

    run_backup(library, target)
    data = json.loads(cli("share", "trip", "--expires", "1h", "--json").out)
    assert _get(data["links"][1]["url"]).status == 200
    again = cli("share", "links", data["id"], "--json").json()
    assert _get(again["links"][1]["url"]).status == 200  # re-signed for the time left
    assert cli("share", "revoke", data["id"][:12]).code == 0
    assert _get(data["links"][1]["url"]).status in (403, 404)
    assert _get(data["url"]).status in (403, 404)
    assert cli("share", "ls", "--json").json()[0]["state"] == "revoked"
    client = make_client(target)
    assert client.list_objects_v2(Bucket=target.bucket, Prefix=f"backup/shares/{data['id']}/").get("KeyCount") == 0
    assert client.list_objects_v2(Bucket=target.bucket, Prefix="backup/objects/")["KeyCount"] == 3  # backups untouched
    assert cli("share", "links", data["id"]).code == 1


def test_contributors_upload_and_pull_brings_photos_into_the_album(library: Library, target: CloudTarget,
                                                                   photos: list[Path], tmp_path: Path, cli) -> None:  # fmt: skip
    result = cli("share", "--collect", "--album", "Party", "--expires", "1h", "--json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    page = _get(data["url"])
    assert page.status == 200 and b'enctype="multipart/form-data"' in page.data
    post = data["post"]
    new_photo = write_photo(tmp_path / "friend" / "from friend.jpg", 400, 300, 42, Shot(gps=PARIS))
    uploads = [("from friend.jpg", new_photo.read_bytes()), ("copy of mine.jpg", photos[0].read_bytes()),
               ("notes.txt", b"not a photo")]  # fmt: skip
    for name, body in uploads:
        answer = urllib3.request("POST", post["url"], fields={**post["fields"], "file": (name, body, "image/jpeg")})
        assert answer.status in (200, 201, 204), answer.data
    outside = {**post["fields"], "key": "backup/objects/evil", "file": ("x.jpg", b"x", "image/jpeg")}
    assert urllib3.request("POST", post["url"], fields=outside).status == 403

    inbox = tmp_path / "inbox"
    pulled = cli("share", "pull", "--to", str(inbox), "--json")
    assert pulled.code == 0, pulled.err
    stats = json.loads(pulled.out)
    assert (stats["downloaded"], stats["imported"], stats["duplicates"]) == (2, 1, 1)
    assert len(stats["rejected"]) == 1 and stats["rejected"][0].endswith("notes.txt")
    placed = inbox / "Party" / "from friend.jpg"
    assert sha(placed) == sha(new_photo)
    assert not (inbox / "Party" / "copy of mine.jpg").exists()  # the library had it already
    album = get_album(library.db, "Party")
    assert album is not None and album.count == 2
    in_album = set(album_photo_ids(library.db, album.id))
    assert len(in_album) == 2
    again = json.loads(cli("share", "pull", "--to", str(inbox), "--json").out)
    assert again["downloaded"] == 0  # imported files left the inbox; the rejected one stays
    assert again["rejected"] == [] and again["rejected_before"] == 1  # remembered, not reported as new

    shared = json.loads(cli("share", "--album", "Party", "--json").out)
    assert len(shared["links"]) == 2


def test_durations() -> None:
    from core.cloud.errors import CloudError

    assert parse_duration("24h") == 86400 and parse_duration("7d") == 7 * 86400 and parse_duration("90s") == 90
    for bad in ("8d", "soon", "0h"):
        with pytest.raises(CloudError):
            parse_duration(bad)
