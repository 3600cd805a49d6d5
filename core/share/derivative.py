"""The copy of a photo that is shared: upright, resized, re-encoded, without location.

Only the date and camera are carried over into the copy's EXIF (and GPS when the user
asked to keep it). The original file is only read.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from core.media.decode import load_upright

_KEEP_IFD0 = (0x010F, 0x0110, 0x0131)  # Make, Model, Software
_KEEP_EXIF = (0x9003, 0x9004, 0x9011)  # DateTimeOriginal, DateTimeDigitized, OffsetTimeOriginal
EXIF_IFD, GPS_IFD = 0x8769, 0x8825


def shared_copy(path: Path | str, *, max_size: int | None = 2048, strip_gps: bool = True, quality: int = 88) -> bytes:
    """JPEG bytes of the photo at ``path`` for sharing (raises UnreadableMedia for videos and broken files)."""
    image = load_upright(Path(path), max_size)
    if max_size and max(image.size) > max_size:
        image.thumbnail((max_size, max_size), Image.Resampling.LANCZOS)
    exif = _shared_exif(path, keep_gps=not strip_gps)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality, exif=exif.tobytes(), optimize=True)
    return out.getvalue()


def _shared_exif(path: Path | str, *, keep_gps: bool) -> Image.Exif:
    """Date and camera from the original's EXIF (and its GPS when ``keep_gps``); orientation is baked in."""
    exif = Image.Exif()
    try:
        with Image.open(path) as original:
            source = original.getexif()
    except Exception:
        return exif
    for tag in _KEEP_IFD0:
        if tag in source:
            exif[tag] = source[tag]
    source_exif = source.get_ifd(EXIF_IFD)
    for tag in _KEEP_EXIF:
        if tag in source_exif:
            exif.get_ifd(EXIF_IFD)[tag] = source_exif[tag]
    if keep_gps:
        gps = source.get_ifd(GPS_IFD)
        if gps:
            exif.get_ifd(GPS_IFD).update(gps)
    return exif
