"""Reading one file into a :class:`MediaInfo`: the function every indexing worker runs.

One read of the bytes feeds the sha256, the EXIF parser and the decoder. Bad input
raises :class:`UnreadableMedia` with a reason a person understands; a file whose header
and metadata are fine but whose pixels are not (a truncated JPEG) is catalogued with its
metadata and an ``error``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PIL import Image

from core.media.decode import RAW_SIZE_KEY, TooManyPixels, decode_small, heif_stored_size, open_image, upright
from core.media.exif import ExifData, read_exif
from core.media.formats import RAW_EXTENSIONS, describe_unknown, kind_of, sniff_format
from core.media.hashing import crop_hashes, perceptual_hashes, sha256_bytes, sha256_file
from core.media.records import MediaInfo, UnreadableMedia
from core.media.thumbnails import ThumbnailCache
from core.media.video import read_video_info

#: Files bigger than this are hashed in chunks and never held in memory (videos, huge TIFFs).
IN_MEMORY_LIMIT = 256 * 1024 * 1024


def analyze_file(path: str | Path, *, thumbnails: ThumbnailCache | None = None) -> MediaInfo:
    """Everything Shoebox catalogues about the file at ``path`` (see module docstring)."""
    path = str(path)
    try:
        return _analyze(path, thumbnails)
    except FileNotFoundError as exc:
        raise UnreadableMedia("the file disappeared while it was being indexed") from exc
    except PermissionError as exc:
        raise UnreadableMedia("permission denied: Shoebox cannot read this file (check its owner and mode)") from exc
    except IsADirectoryError as exc:
        raise UnreadableMedia("a folder named like a photo") from exc
    except OSError as exc:
        raise UnreadableMedia(f"the file cannot be read: {exc.strerror or exc}") from exc


def _analyze(path: str, thumbnails: ThumbnailCache | None) -> MediaInfo:
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        if stat.st_size == 0:
            raise UnreadableMedia("empty file (0 bytes)")
        head = handle.read(64)
        fmt = sniff_format(head, os.path.basename(path))
        if fmt is None:
            raise UnreadableMedia(describe_unknown(head))
        kind = kind_of(fmt)
        if kind == "video" or stat.st_size > IN_MEMORY_LIMIT:
            handle.seek(0)
            return _analyze_large(path, handle, stat, fmt, kind)
        data = head + handle.read()
    info = MediaInfo(path, len(data), stat.st_mtime_ns, sha256_bytes(data), fmt, kind)
    _apply_identity(info, stat)
    opened = _open(data, fmt)
    direct = opened if isinstance(opened, tuple) and fmt not in RAW_EXTENSIONS else None
    _apply_exif(info, read_exif(data, direct[0] if direct else None), stat.st_mtime_ns)
    _read_pixels(info, data, opened, thumbnails)
    return info


def _apply_identity(info: MediaInfo, stat: os.stat_result) -> None:
    """Record which file the bytes came from (the open handle's device and inode)."""
    info.dev, info.ino = stat.st_dev, stat.st_ino
    info.real_path = os.path.realpath(info.path)


def _open(data: bytes, fmt: str) -> tuple[Image.Image, bool] | Exception:
    """The lazily-decoded image (and whether it is upright), or why it cannot be opened."""
    try:
        return open_image(data, fmt)
    except Exception as exc:  # judged in _read_pixels, once the metadata is known
        return exc


def _analyze_large(path: str, handle, stat: os.stat_result, fmt: str, kind: str) -> MediaInfo:
    info = MediaInfo(path, stat.st_size, stat.st_mtime_ns, sha256_file(path), fmt, kind)
    _apply_identity(info, stat)
    if kind == "video":
        video = read_video_info(handle, stat.st_size)
        info.width, info.height = video.width, video.height
        if video.taken_at:
            info.taken_at, info.taken_at_source = video.taken_at, "video"
    else:
        info.error = "too large to decode for hashes and thumbnails"
    if info.taken_at is None:
        info.taken_at, info.taken_at_source = _local_time(stat.st_mtime_ns), "mtime"
    return info


def _apply_exif(info: MediaInfo, exif: ExifData, mtime_ns: int) -> None:
    for name in ("make", "model", "lens", "orientation", "exposure_time", "f_number", "iso",
                 "focal_length", "gps_lat", "gps_lon", "gps_alt", "note"):  # fmt: skip
        setattr(info, name, getattr(exif, name))
    if exif.date_original:
        info.taken_at, info.taken_at_source = exif.date_original, "exif"
    elif exif.date_created:
        info.taken_at, info.taken_at_source = exif.date_created, "exif-create"
    else:
        info.taken_at, info.taken_at_source = _local_time(mtime_ns), "mtime"


def _read_pixels(
    info: MediaInfo, data: bytes, opened: tuple[Image.Image, bool] | Exception, thumbnails: ThumbnailCache | None
) -> None:
    """Size from the header, then hashes and a thumbnail from a small upright decode."""
    if isinstance(opened, UnreadableMedia):
        raise opened
    if isinstance(opened, TooManyPixels):  # a declared size over the budget, seen at open
        info.error = str(opened)
        return
    if isinstance(opened, Exception):
        if info.make or info.taken_at_source != "mtime":
            info.error = f"corrupt image data: the header cannot be decoded ({opened})"
            return
        raise UnreadableMedia(f"not a readable image: {opened}") from opened
    image, is_upright = opened
    info.width, info.height = image.info.get(RAW_SIZE_KEY) or image.size
    if is_upright:  # HEIF: pillow-heif has already turned the pixels; report the coded size
        info.width, info.height = heif_stored_size(data) or image.size
    try:
        pixels = decode_small(image)
    except TooManyPixels as exc:  # metadata kept, no pixels: listed by `shoebox problems`
        info.error = str(exc)
        return
    except Image.DecompressionBombError as exc:
        info.error = f"too many pixels to decode safely ({exc})"
        return
    except MemoryError:
        info.error = "too big to decode in the memory Shoebox allows (no pixels read)"
        return
    except (OSError, SyntaxError, ValueError) as exc:
        info.error = _pixel_error(exc)
        return
    if not is_upright:
        pixels = upright(pixels, info.orientation)
    info.phash, info.dhash = perceptual_hashes(pixels)
    info.crop_hashes = crop_hashes(pixels)
    if thumbnails is not None:
        try:
            if not thumbnails.has(info.sha256):
                thumbnails.write(info.sha256, pixels)
            info.thumbnail_written = True
        except OSError as exc:  # the library's disk, not the photo: a full disk, a read-only cache
            info.thumbnail_error = exc.strerror or str(exc)


def _pixel_error(exc: Exception) -> str:
    text = str(exc)
    if "truncated" in text or "premature" in text.lower():
        return "truncated file: the photo's data stops early (metadata kept, no pixels)"
    return f"corrupt image data: pixels cannot be decoded ({text})"


def _local_time(mtime_ns: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(mtime_ns / 1e9))
