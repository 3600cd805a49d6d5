"""EXIF metadata: exifread first, Pillow's ``getexif`` where exifread fails or finds nothing.

Everything here is defensive: camera firmware writes odd values (all-zero dates, blank
strings, zero denominators), and some files once crashed parsers. A bad tag is skipped,
never fatal.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

import exifread

logging.getLogger("exifread").setLevel(logging.CRITICAL)  # it logs every odd tag as an error

_DATE = re.compile(r"^\s*(\d{4})[:\-/.](\d{1,2})[:\-/.](\d{1,2})[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?")


@dataclass(slots=True)
class ExifData:
    """The EXIF fields Shoebox keeps, already cleaned."""

    date_original: str | None = None
    date_created: str | None = None
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    orientation: int | None = None
    exposure_time: str | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    width: int | None = None
    height: int | None = None
    note: str | None = None  # what was ignored, e.g. a GPS position with an invalid reference

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


def parse_exif_date(text: Any) -> str | None:
    """``YYYY-MM-DDTHH:MM:SS`` from an EXIF date string, or None for blanks and impossible dates."""
    if text is None:
        return None
    match = _DATE.match(str(text).replace("\x00", ""))
    if not match:
        return None
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    second = int(match.group(6) or 0)
    try:
        moment = datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return None
    if year < 1826:  # before the first photograph: a firmware default, not a date
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def clean_text(value: Any) -> str | None:
    """A trimmed string without NULs, or None when nothing is left."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", " ").strip()
    return text or None


def read_exif(data: bytes, opened: Any = None) -> ExifData:
    """Metadata from a file's bytes (JPEG, TIFF, HEIC, PNG, WebP, TIFF-based RAW).

    ``opened`` is a Pillow image already opened from these same bytes, if the caller has
    one: the Pillow fallback then reads it instead of parsing the file a second time.
    """
    exif = ExifData()
    try:
        tags = exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)
    except Exception:  # parsers crash on hostile EXIF; Pillow gets a turn below
        tags = {}
    if tags:
        _fill_from_exifread(exif, tags)
    if exif.date_original is None or exif.make is None or exif.orientation is None:
        _fill_from_pillow(exif, data, opened)
    if exif.date_original is None and data[:2] == b"\xff\xd8":
        exif.date_original = _olympus_app12_date(data)
    return exif


# --- exifread -------------------------------------------------------------------------------


def _tag(tags: dict, *names: str) -> Any:
    for name in names:
        if name in tags:
            return tags[name]
    return None


def _values(tag: Any) -> list:
    values = getattr(tag, "values", None)
    if values is None:
        return []
    return list(values) if isinstance(values, (list, tuple)) else [values]


def _number(value: Any) -> float | None:
    try:
        if hasattr(value, "num") and hasattr(value, "den"):
            if value.den == 0:
                return None
            return float(Fraction(int(value.num), int(value.den)))
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _first_number(tag: Any) -> float | None:
    values = _values(tag)
    return _number(values[0]) if values else None


def _degrees(tag: Any) -> float | None:
    parts = [_number(v) for v in _values(tag)]
    if not parts or any(p is None for p in parts):
        return None
    return parts[0] + (parts[1] / 60 if len(parts) > 1 else 0) + (parts[2] / 3600 if len(parts) > 2 else 0)


#: The GPS references EXIF allows: latitude N/S, longitude E/W (the second is negative).
_GPS_REFS = {"latitude": ("N", "S"), "longitude": ("E", "W")}
_WORDS = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}  # some firmware spells them out


def gps_sign(axis: str, ref: Any) -> int | None:
    """+1 or -1 for a GPS reference (a missing one counts as N/E), None when it is invalid."""
    text = clean_text(ref.decode("latin-1") if isinstance(ref, bytes) else ref) or ""
    if not text:
        return 1
    positive, negative = _GPS_REFS[axis]
    word = text.upper()
    if word in (positive, _WORDS[positive]):
        return 1
    if word in (negative, _WORDS[negative]):
        return -1
    return None


def _gps_position(exif: ExifData, lat: float | None, lat_ref: Any, lon: float | None, lon_ref: Any) -> None:
    """Set the position from degrees and references. An invalid reference gives no position
    and a note (never a guessed hemisphere); an impossible position gives none."""
    if lat is None or lon is None:
        return
    signs = {"latitude": gps_sign("latitude", lat_ref), "longitude": gps_sign("longitude", lon_ref)}
    for axis, sign in signs.items():
        if sign is None:
            ref = lat_ref if axis == "latitude" else lon_ref
            allowed = " or ".join(_GPS_REFS[axis])
            shown = (clean_text(ref.decode("latin-1") if isinstance(ref, bytes) else ref) or "")[:20]
            exif.note = f"GPS position ignored: the {axis} reference is {shown!r}, not {allowed}"
            return
    lat, lon = round(lat * signs["latitude"], 10), round(lon * signs["longitude"], 10)
    if _plausible(lat, lon):
        exif.gps_lat, exif.gps_lon = lat, lon


def _orientation(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 8 else None


def _fill_from_exifread(exif: ExifData, tags: dict) -> None:
    printable = lambda tag: clean_text(tag.printable) if tag is not None else None  # noqa: E731
    exif.date_original = parse_exif_date(printable(_tag(tags, "EXIF DateTimeOriginal")))
    exif.date_created = parse_exif_date(printable(_tag(tags, "EXIF DateTimeDigitized", "Image DateTimeDigitized")))
    exif.make = printable(_tag(tags, "Image Make"))
    exif.model = printable(_tag(tags, "Image Model"))
    exif.lens = printable(_tag(tags, "EXIF LensModel", "MakerNote LensType"))
    # exiftool (and so every other tool) falls back to IFD1's orientation when IFD0 has none.
    orientation = _values(_tag(tags, "Image Orientation", "Thumbnail Orientation"))
    exif.orientation = _orientation(orientation[0]) if orientation else None
    exposure = _tag(tags, "EXIF ExposureTime")
    exif.exposure_time = printable(exposure) if exposure is not None and _first_number(exposure) else None
    exif.f_number = _first_number(_tag(tags, "EXIF FNumber"))
    iso = _first_number(_tag(tags, "EXIF ISOSpeedRatings", "EXIF PhotographicSensitivity"))
    exif.iso = int(iso) if iso else None
    exif.focal_length = _first_number(_tag(tags, "EXIF FocalLength"))
    lat, lon = _tag(tags, "GPS GPSLatitude"), _tag(tags, "GPS GPSLongitude")
    if lat is not None and lon is not None:
        lat_ref, lon_ref = _tag(tags, "GPS GPSLatitudeRef"), _tag(tags, "GPS GPSLongitudeRef")
        _gps_position(exif, _degrees(lat), printable(lat_ref), _degrees(lon), printable(lon_ref))
    altitude = _first_number(_tag(tags, "GPS GPSAltitude"))
    if altitude is not None:
        below = _values(_tag(tags, "GPS GPSAltitudeRef"))
        exif.gps_alt = -altitude if below and below[0] == 1 else altitude


def _plausible(lat: float, lon: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lon <= 180


# --- Pillow fallback ------------------------------------------------------------------------

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825


def _fill_from_pillow(exif: ExifData, data: bytes, opened: Any = None) -> None:
    try:
        raw = opened.getexif() if opened is not None else _pillow_exif(data)
        base = dict(raw)
        extra = dict(raw.get_ifd(_EXIF_IFD))
        gps = dict(raw.get_ifd(_GPS_IFD))
    except Exception:
        return
    exif.date_original = exif.date_original or parse_exif_date(extra.get(0x9003))
    exif.date_created = exif.date_created or parse_exif_date(extra.get(0x9004))
    exif.make = exif.make or clean_text(base.get(0x010F))
    exif.model = exif.model or clean_text(base.get(0x0110))
    exif.lens = exif.lens or clean_text(extra.get(0xA434))
    exif.orientation = exif.orientation or _orientation(base.get(0x0112))
    if exif.gps_lat is None and exif.note is None and 2 in gps and 4 in gps:
        try:
            lat = sum(float(v) / d for v, d in zip(gps[2], (1, 60, 3600), strict=False))
            lon = sum(float(v) / d for v, d in zip(gps[4], (1, 60, 3600), strict=False))
        except (TypeError, ValueError, ZeroDivisionError):
            return
        _gps_position(exif, lat, gps.get(1), lon, gps.get(3))


def _pillow_exif(data: bytes) -> Any:
    from PIL import Image

    from core.media.decode import register_heif

    register_heif()
    with Image.open(io.BytesIO(data)) as img:
        return img.getexif()


# --- pre-EXIF cameras -----------------------------------------------------------------------

_APP12_TIME = re.compile(rb"\[picture info\][^\[]*?TimeDate=(\d{6,12})", re.S)


def _olympus_app12_date(data: bytes) -> str | None:
    """Olympus/Agfa cameras of the late 1990s wrote a text APP12 block ("[picture info]
    TimeDate=<unix seconds>") instead of EXIF; exiftool reads it, and so do we."""
    offset = 2
    while offset + 4 <= min(len(data), 1 << 20) and data[offset] == 0xFF:
        marker = data[offset + 1]
        length = int.from_bytes(data[offset + 2 : offset + 4], "big")
        if marker == 0xDA:
            return None
        if marker == 0xEC:
            match = _APP12_TIME.search(data[offset + 4 : offset + 2 + length])
            if match:
                moment = datetime.fromtimestamp(int(match.group(1)), tz=UTC)
                return moment.strftime("%Y-%m-%dT%H:%M:%S")
        offset += 2 + length
    return None
