"""Reading single files: formats, dates, orientation, video containers, thumbnails."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest
from PIL import Image

from core.media.analyze import analyze_file
from core.media.decode import load_upright
from core.media.exif import parse_exif_date
from core.media.formats import is_media_name, sniff_format
from core.media.records import UnreadableMedia
from core.media.thumbnails import ThumbnailCache


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2008:10:22 16:28:39", "2008-10-22T16:28:39"),
        ("2008:10:22 16:28:39\x00", "2008-10-22T16:28:39"),
        ("2008-10-22T16:28", "2008-10-22T16:28:00"),
        ("0000:00:00 00:00:00", None),
        ("    :  :     :  :  ", None),
        ("2008:02:30 10:00:00", None),
        ("", None),
        (None, None),
    ],
)
def test_exif_dates_are_parsed_or_rejected(text, expected) -> None:
    assert parse_exif_date(text) == expected


def test_formats_come_from_bytes_not_names() -> None:
    assert sniff_format(b"\xff\xd8\xff\xe0" + b"\0" * 60, "photo.png") == "jpeg"
    assert sniff_format(b"\x00\x00\x00\x18ftypheic" + b"\0" * 52, "x.HEIC") == "heic"
    assert sniff_format(b"\x00\x00\x00\x14ftypqt  " + b"\0" * 52, "x.mov") == "mov"
    assert sniff_format(b"\x00\x00\x00\x18ftypisom" + b"\0" * 52, "x.mp4") == "mp4"
    assert sniff_format(b"II*\x00\x08\x00\x00\x00" + b"\0" * 56, "x.NEF") == "nef"
    assert sniff_format(b"hello world, not a photo" * 3, "x.jpg") is None
    assert is_media_name("IMG_1.JPG") and is_media_name("clip.MOV") and not is_media_name("notes.txt")


def test_orientation_is_applied_before_hashing(corpus: Path) -> None:
    hashes = [analyze_file(corpus / f"exif-samples/jpg/orientation/landscape_{i}.jpg").phash for i in range(1, 9)]
    first = int(hashes[0], 16)
    assert all(bin(first ^ int(h, 16)).count("1") <= 4 for h in hashes)


def test_load_upright_turns_the_picture(corpus: Path) -> None:
    image = load_upright(corpus / "exif-samples/jpg/orientation/portrait_6.jpg", max_side=200)
    assert image.height > image.width and max(image.size) <= 200


def test_heic_reports_coded_size_and_metadata(corpus: Path) -> None:
    info = analyze_file(corpus / "exif-samples/heic/mobile/iphone_13_pro_max.HEIC")
    assert (info.format, info.width, info.height, info.orientation) == ("heic", 4032, 3024, 6)
    assert info.taken_at == "2022-02-16T12:55:41" and info.make == "Apple" and info.phash


def _mp4(created_1904: int, width: int, height: int) -> bytes:
    def box(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I4s", 8 + len(body), kind) + body

    mvhd = box(b"mvhd", b"\0\0\0\0" + struct.pack(">II", created_1904, created_1904) + b"\0" * 88)
    tkhd = box(b"tkhd", b"\0\0\0\0" + b"\0" * 72 + struct.pack(">II", width << 16, height << 16))
    moov = box(b"moov", mvhd + box(b"trak", tkhd))
    return box(b"ftyp", b"isom\0\0\0\0isommp41") + box(b"mdat", b"\0" * 1000) + moov


def test_video_is_catalogued_with_container_date(tmp_path: Path) -> None:
    unix = 1_618_156_073  # 2021-04-11T15:47:53Z
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(_mp4(unix + 2_082_844_800, 1920, 1080))
    info = analyze_file(clip)
    assert (info.kind, info.format, info.width, info.height) == ("video", "mp4", 1920, 1080)
    assert info.taken_at == time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(unix))
    assert info.taken_at_source == "video" and info.phash is None and len(info.sha256) == 64


def test_video_without_date_falls_back_to_file_time(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mov"
    clip.write_bytes(_mp4(0, 640, 480).replace(b"isom", b"qt  ", 1))
    info = analyze_file(clip)
    assert info.format == "mov" and info.taken_at_source == "mtime"


def test_unreadable_inputs_have_reasons(tmp_path: Path) -> None:
    (tmp_path / "zero.jpg").write_bytes(b"")
    (tmp_path / "notes.jpg").write_text("dear diary\n" * 30)
    (tmp_path / "noise.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    reasons = {}
    for name in ("zero.jpg", "notes.jpg", "noise.png", "absent.jpg"):
        with pytest.raises(UnreadableMedia) as caught:
            analyze_file(tmp_path / name)
        reasons[name] = str(caught.value)
    assert "empty" in reasons["zero.jpg"]
    assert "text" in reasons["notes.jpg"]
    assert "image" in reasons["noise.png"]
    assert "disappeared" in reasons["absent.jpg"]


def test_thumbnails_are_upright_small_and_atomic(tmp_path: Path, corpus: Path) -> None:
    cache = ThumbnailCache(tmp_path / "thumbs")
    source = corpus / "exif-samples/jpg/orientation/portrait_8.jpg"
    info = analyze_file(source, thumbnails=cache)
    assert info.thumbnail_written and cache.has(info.sha256)
    with Image.open(cache.path_for(info.sha256)) as thumb:
        assert thumb.height > thumb.width and max(thumb.size) <= 256
    cache.path_for(info.sha256).unlink()
    assert cache.ensure(source, info.sha256) == cache.path_for(info.sha256)
    stale = cache.path_for(info.sha256).parent / ".thumb-abc.part"
    stale.write_bytes(b"half")
    assert cache.remove_stale_parts(older_than=-1) == 1 and not stale.exists()
    assert cache.ensure(tmp_path / "gone.jpg", "f" * 64) is None


def test_numpy_phash_gives_imagehash_bits(corpus: Path) -> None:
    import imagehash

    from core.media.hashing import phash

    for path in sorted((corpus / "exif-samples/jpg/gps").glob("*.jpg")):
        gray = Image.open(path).convert("L")
        assert phash(gray) == imagehash.phash(gray), path.name


def test_raw_without_libraw_support_still_gives_metadata_and_preview(tmp_path: Path, corpus: Path) -> None:
    """A TIFF-structured RAW that LibRaw cannot decode: EXIF from the TIFF, pixels from
    the JPEG preview embedded after it (as cameras embed theirs)."""
    source = corpus / "exif-samples/jpg/gps/DSCN0012.jpg"
    with Image.open(source) as original:
        exif = original.getexif()
        tiff = tmp_path / "tiny.tif"
        original.resize((64, 48)).save(tiff, "TIFF", exif=exif.tobytes())
    raw = tmp_path / "DSC_0001.NEF"
    raw.write_bytes(tiff.read_bytes() + source.read_bytes())
    info = analyze_file(raw)
    assert info.format == "nef" and info.kind == "photo"
    assert (info.make, info.model, info.taken_at) == ("NIKON", "COOLPIX P6000", "2008-10-22T16:29:49")
    assert (info.width, info.height) == (640, 480)
    assert info.phash == analyze_file(source).phash
