"""The copy of a photo that is shared: upright, resized, re-encoded, carrying an allow-list of metadata.

The copy is rebuilt from the pixels alone, then given an EXIF block Shoebox writes itself:
capture date (DateTimeOriginal, its time-zone offset), camera (Make, Model), the caption the
user wrote in Shoebox, and GPS only when the user asked to keep the location. Orientation is
applied to the pixels, so none is written. Nothing else of the original travels: no JPEG
comments (COM), XMP, IPTC, MakerNotes, serial numbers, owner names, thumbnails, PNG text
chunks or HEIC metadata. The ICC colour profile is kept (it says how to show the colours;
it is not about the person). Videos are not shared (see ``links.py``). The original file is only read.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from core.media.decode import load_upright

#: The only tags a shared copy carries, by IFD.
KEEP_IFD0 = (0x010F, 0x0110)  # Make, Model
KEEP_EXIF = (0x9003, 0x9011)  # DateTimeOriginal, OffsetTimeOriginal
IMAGE_DESCRIPTION = 0x010E  # the user's caption
EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def shared_copy(path: Path | str, *, max_size: int | None = 2048, strip_gps: bool = True, quality: int = 88,
                caption: str | None = None) -> bytes:  # fmt: skip
    """JPEG bytes of the photo at ``path`` for sharing (raises UnreadableMedia for videos and broken files)."""
    image = load_upright(Path(path), max_size)
    if max_size and max(image.size) > max_size:
        image.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
    icc, source_exif = image.info.get("icc_profile"), image.info.get("exif")
    pixels = Image.new("RGB", image.size)  # a new image: no info dict, so nothing of the original rides along
    pixels.paste(image if image.mode == "RGB" else image.convert("RGB"))
    exif = _shared_exif(path, source_exif, keep_gps=not strip_gps, caption=caption)
    out = io.BytesIO()
    options = {"icc_profile": icc} if isinstance(icc, bytes) and icc[16:20] == b"RGB " else {}
    pixels.save(out, "JPEG", quality=quality, exif=exif.tobytes(), optimize=True, **options)
    return out.getvalue()


def _shared_exif(path: Path | str, raw: bytes | None, *, keep_gps: bool, caption: str | None) -> Image.Exif:
    """Date and camera from the original's EXIF (``raw``, as decoded, else read from ``path``), the caption,
    and GPS when ``keep_gps``."""
    exif = Image.Exif()
    if caption and caption.strip() and caption.isascii():
        exif[IMAGE_DESCRIPTION] = caption.strip()
    elif caption and caption.strip():  # EXIF ASCII cannot hold it: XPComment is UTF-16 (Windows, exiftool read it)
        exif[0x9C9C] = caption.strip().encode("utf-16-le") + b"\x00\x00"
    try:
        if isinstance(raw, bytes) and raw:
            source = Image.Exif()
            source.load(raw)
        else:
            with Image.open(path) as original:
                source = original.getexif()
    except Exception:
        return exif
    for tag in KEEP_IFD0:
        if isinstance(source.get(tag), str):
            exif[tag] = source[tag]
    source_exif = source.get_ifd(EXIF_IFD)
    for tag in KEEP_EXIF:
        if isinstance(source_exif.get(tag), str):
            exif.get_ifd(EXIF_IFD)[tag] = source_exif[tag]
    if keep_gps:
        gps = source.get_ifd(GPS_IFD)
        if gps:
            exif.get_ifd(GPS_IFD).update(gps)
    return exif
