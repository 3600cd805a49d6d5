"""Sidecars written and read for catalogued photos: real files, libexiv2 as the other tool."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root
from core.collections import set_albums_of, set_caption, set_favourite, set_rating, tag_photos, untag_photos
from core.collections.annotations import annotations_of
from core.indexing.indexer import index_library
from core.library import Library
from core.xmp import read_sidecars, write_sidecars
from core.xmp.fields import parse_coordinate
from tests.xmp.exiv2_tool import exiv2_create, exiv2_edit, exiv2_read


def picture(path: Path, colour: tuple[int, int, int] = (90, 120, 60)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (96, 64), colour).save(path, "JPEG")
    return path


def indexed(library: Library, folder: Path) -> Library:
    add_root(library.db, str(folder))
    index_library(library, workers=1)
    return library


def pid(library: Library, path: Path) -> int:
    photo = get_photo_by_path(library.db, str(path))
    assert photo is not None
    return photo.id


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_creates_sidecars_other_tools_read_and_never_touches_originals(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    marked, plain = picture(photos / "IMG_1.jpg"), picture(photos / "IMG_2.jpg", (200, 30, 30))
    indexed(library, photos)
    before = {p: digest(p) for p in (marked, plain)}
    one = pid(library, marked)
    set_rating(library.db, [one], 4)
    set_caption(library.db, [one], "Grandma's 90th")
    set_favourite(library.db, [one])
    tag_photos(library.db, [one], ["family", "birthday"])
    set_albums_of(library.db, one, ["Best of 2024"])

    results = {r.path: r for r in write_sidecars(library, [one, pid(library, plain)])}
    assert results[str(marked)].action == "created"
    assert results[str(plain)].action == "unchanged" and results[str(plain)].sidecar is None
    assert not (photos / "IMG_2.jpg.xmp").exists()  # nothing to say: no empty sidecar
    seen = exiv2_read(photos / "IMG_1.jpg.xmp")
    assert seen["Xmp.xmp.Rating"] == "4" and seen["Xmp.dc.subject"] == "birthday, family"
    assert seen["Xmp.dc.description"] == 'lang="x-default" Grandma\'s 90th'
    assert seen["Xmp.shoebox.Favourite"] == "True" and seen["Xmp.shoebox.Albums"] == "Best of 2024"
    assert {p: digest(p) for p in (marked, plain)} == before
    assert [r.action for r in write_sidecars(library, [one])] == ["unchanged"]  # nothing new: not rewritten


def test_edits_in_another_tool_and_in_shoebox_both_survive(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    path = picture(photos / "DSC_0007.jpg")
    indexed(library, photos)
    one = pid(library, path)
    tag_photos(library.db, [one], ["beach", "sunset", "2023"])
    set_rating(library.db, [one], 3)
    write_sidecars(library, [one])
    sidecar = photos / "DSC_0007.jpg.xmp"
    # Later, in digiKam: a keyword added, one removed, 5 stars; meanwhile in Shoebox '2023' is removed.
    exiv2_edit(sidecar, dc__subject=["beach", "sunset", "Sardinia"], xmp__Rating="5")
    exiv2_edit(sidecar, dc__subject=["beach", "Sardinia", "2023"])
    untag_photos(library.db, [one], ["2023"])

    [result] = write_sidecars(library, [one])
    assert result.action == "written" and set(result.catalog_changes) == {"rating", "tags"}
    notes = annotations_of(library.db, [one])[one]
    assert notes.rating == 5
    assert sorted(notes.tags) == ["Sardinia", "beach"]  # 'sunset' removed there, '2023' here
    seen = exiv2_read(sidecar)
    assert seen["Xmp.xmp.Rating"] == "5" and sorted(seen["Xmp.dc.subject"].split(", ")) == ["Sardinia", "beach"]


def test_another_tools_marks_and_a_date_the_file_lacks_are_read(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    path = picture(photos / "scan_0001.jpg")  # a scan: no EXIF date, the catalog only has the file's mtime
    sidecar = photos / "scan_0001.jpg.xmp"
    exiv2_create(sidecar, xmp__Rating="2", dc__subject="scans", exif__DateTimeOriginal="1987-06-01T12:00:00",
                 exif__GPSLatitude="45,26.4N", exif__GPSLongitude="12,19.8E")  # fmt: skip
    add_root(library.db, str(photos))
    assert index_library(library, workers=1).sidecars_read == 1  # new photos' sidecars are read as they arrive
    one = pid(library, path)
    photo = get_photo_by_path(library.db, str(path))
    assert photo is not None and (photo.taken_at, photo.taken_at_source) == ("1987-06-01T12:00:00", "xmp")
    assert photo.gps_lat == pytest.approx(45.44) and photo.gps_lon == pytest.approx(12.33)
    assert annotations_of(library.db, [one])[one].tags == ["scans"]
    assert annotations_of(library.db, [one])[one].rating == 2
    assert [r.action for r in read_sidecars(library, [one])] == ["unchanged"]

    exiv2_edit(sidecar, dc__subject=["scans", "Venice"], xmp__Rating="3")  # edited again in the other tool
    [result] = read_sidecars(library, [one])
    assert result.action == "read" and result.catalog_changes == ["rating", "tags"]
    notes = annotations_of(library.db, [one])[one]
    assert (notes.rating, notes.tags) == (3, ["scans", "Venice"])


def test_a_raw_files_short_sidecar_is_left_to_it(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    jpeg = picture(photos / "IMG_0042.JPG")
    (photos / "IMG_0042.CR2").write_bytes(b"raw bytes from the camera")
    lightroom = photos / "IMG_0042.xmp"
    lightroom.write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                         '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="1"/></rdf:RDF></x:xmpmeta>')  # fmt: skip
    kept = lightroom.read_bytes()
    indexed(library, photos)
    one = pid(library, jpeg)
    set_rating(library.db, [one], 5)
    [result] = write_sidecars(library, [one])
    assert result.sidecar == str(photos / "IMG_0042.JPG.xmp") and result.action == "created"
    assert lightroom.read_bytes() == kept and result.catalog_changes == []


def test_a_bad_sidecar_is_reported_left_alone_and_the_others_go_on(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    broken, blocked, fine = (picture(photos / f"{name}.jpg") for name in ("broken", "blocked", "fine"))
    (photos / "broken.jpg.xmp").write_bytes(b"\x00\x01 not XML")
    indexed(library, photos)
    (photos / "blocked.jpg.xmp").mkdir()  # a name Shoebox cannot write a file at
    ids = [pid(library, p) for p in (broken, blocked, fine)]
    set_rating(library.db, ids, 3)
    results = {Path(r.path).name: r for r in write_sidecars(library, ids)}
    assert results["broken.jpg"].action == "failed" and "not a readable XMP packet" in (
        results["broken.jpg"].reason or ""
    )
    assert (photos / "broken.jpg.xmp").read_bytes() == b"\x00\x01 not XML"
    assert results["blocked.jpg"].action == "failed" and "cannot write" in (results["blocked.jpg"].reason or "")
    assert results["fine.jpg"].action == "created"
    assert sorted(os.listdir(photos)) == [
        "blocked.jpg",
        "blocked.jpg.xmp",
        "broken.jpg",
        "broken.jpg.xmp",
        "fine.jpg",
        "fine.jpg.xmp",
    ]  # fmt: skip  (no temporary files left)


def test_a_name_that_is_not_utf8_gets_its_sidecar_beside_it(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    raw_name = os.fsencode(photos) + b"/caf\xe9.jpg"
    Image.new("RGB", (40, 30), (10, 200, 90)).save(os.fsdecode(raw_name), "JPEG")
    indexed(library, photos)
    [photo_id] = [row[0] for row in library.db.query("SELECT id FROM photos")]
    set_rating(library.db, [photo_id], 2)
    [result] = write_sidecars(library, [photo_id])
    assert result.action == "created"
    assert os.path.exists(raw_name + b".xmp")


def test_a_corpus_photos_date_and_place_go_into_its_sidecar(library: Library, tmp_path: Path, corpus: Path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    path = photos / "DSCN0021.jpg"
    shutil.copyfile(corpus / "dups" / "DSCN0021__exact.jpg", path)  # a copy: the corpus is never written
    indexed(library, photos)
    one = pid(library, path)
    tag_photos(library.db, [one], ["Tuscany"])
    write_sidecars(library, [one])
    seen = exiv2_read(photos / "DSCN0021.jpg.xmp")
    assert seen["Xmp.exif.DateTimeOriginal"].startswith("2008-10-22T16:38:20")
    assert parse_coordinate(seen["Xmp.exif.GPSLatitude"]) == pytest.approx(43.4670816666639, abs=1e-6)
    assert parse_coordinate(seen["Xmp.exif.GPSLongitude"]) == pytest.approx(11.8845383333306, abs=1e-6)


def test_indexing_reads_the_sidecars_of_new_photos_once(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    lightroom, plain = picture(photos / "trip/IMG_1.jpg"), picture(photos / "trip/IMG_2.jpg")
    (photos / "trip/IMG_1.xmp").write_text(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmp:Rating="4"><dc:subject><rdf:Bag><rdf:li>Kyoto</rdf:li></rdf:Bag></dc:subject></rdf:Description>'
        "</rdf:RDF></x:xmpmeta>"
    )
    add_root(library.db, str(photos))
    stats = index_library(library, workers=1)
    assert stats.sidecars_read == 1
    one = pid(library, lightroom)
    notes = annotations_of(library.db, [one, pid(library, plain)])
    assert (notes[one].rating, notes[one].tags) == (4, ["Kyoto"])
    assert notes[pid(library, plain)].rating is None
    set_rating(library.db, [one], 2)  # changed in Shoebox afterwards: a re-index does not undo it
    picture(photos / "trip/IMG_3.jpg")
    assert index_library(library, workers=1).sidecars_read == 0
    assert annotations_of(library.db, [one])[one].rating == 2


def test_a_read_only_sidecar_is_left_alone_and_a_symlinked_one_stays_a_link(library: Library, tmp_path: Path) -> None:
    photos, elsewhere = tmp_path / "photos", tmp_path / "sidecars"
    locked, linked = picture(photos / "locked.jpg"), picture(photos / "linked.jpg")
    empty = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
             "</rdf:RDF></x:xmpmeta>")  # fmt: skip
    (photos / "locked.jpg.xmp").write_text(empty)
    (photos / "locked.jpg.xmp").chmod(0o444)
    elsewhere.mkdir()
    (elsewhere / "linked.jpg.xmp").write_text(empty)
    (photos / "linked.jpg.xmp").symlink_to(elsewhere / "linked.jpg.xmp")
    indexed(library, photos)
    ids = [pid(library, locked), pid(library, linked)]
    set_rating(library.db, ids, 5)
    results = {Path(r.path).name: r for r in write_sidecars(library, ids)}
    assert results["locked.jpg"].action == "failed" and "read-only" in (results["locked.jpg"].reason or "")
    assert (photos / "locked.jpg.xmp").read_text() == empty
    assert results["linked.jpg"].action == "written"
    assert (photos / "linked.jpg.xmp").is_symlink()
    assert exiv2_read(elsewhere / "linked.jpg.xmp")["Xmp.xmp.Rating"] == "5"
