"""What Shoebox reads from and writes to a sidecar, in the properties other tools use.

============  ==========================================  ==============================
Shoebox       XMP property                                read by
============  ==========================================  ==============================
rating        ``xmp:Rating`` (0–5; -1 means rejected)     Lightroom, digiKam, darktable, Immich
tags          ``dc:subject`` (a bag of keywords)          Lightroom, digiKam, darktable, Immich
caption       ``dc:description`` (``x-default``)          Lightroom, digiKam, darktable, Immich
capture date  ``exif:DateTimeOriginal``                   all of them
GPS position  ``exif:GPSLatitude``/``GPSLongitude``/…     all of them
favourite     ``shoebox:Favourite`` (True/False)          Shoebox (no common property exists)
albums        ``shoebox:Albums`` (a bag of names)         Shoebox (albums are not in XMP)
named faces   ``mwg-rs:Regions`` (MWG face regions)       digiKam, Lightroom, Picasa, exiftool
============  ==========================================  ==============================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from core.xmp.packet import KNOWN_PREFIXES, XmpPacket
from core.xmp.regions import face_names, read_face_regions

DC = KNOWN_PREFIXES["dc"]
XMP = KNOWN_PREFIXES["xmp"]
EXIF = KNOWN_PREFIXES["exif"]
SHOEBOX = KNOWN_PREFIXES["shoebox"]

#: Keyword trees other tools keep beside ``dc:subject`` (and read first): (namespace, property,
#: separator, ordered). Shoebox's tags are their leaves.
KEYWORD_TREES = (
    (KNOWN_PREFIXES["digiKam"], "TagsList", "/", True),
    (KNOWN_PREFIXES["lr"], "hierarchicalSubject", "|", False),
)


#: The fields a sync record remembers (``faces`` since the sidecars carry face regions).
MARKS = ("rating", "caption", "tags", "favourite", "albums", "faces")


@dataclass(slots=True)
class SidecarFields:
    """The properties of one sidecar that Shoebox knows; ``None`` means the sidecar does
    not have the property at all (which is not the same as an empty one).

    ``rating`` is XMP's own: 1–5 stars, 0 unrated, -1 rejected.
    """

    rating: int | None = None
    caption: str | None = None
    tags: list[str] | None = None
    favourite: bool | None = None
    albums: list[str] | None = None
    taken_at: str | None = None
    gps: tuple[float, float, float | None] | None = None
    faces: list[str] | None = None  # names of the named face regions (core/xmp/regions.py)

    def marks_json(self) -> dict[str, object]:
        """The marks (not the date and place) as stored in the catalog's sync record."""
        return {"rating": self.rating, "caption": self.caption, "tags": self.tags, "favourite": self.favourite,
                "albums": self.albums, "faces": self.faces}  # fmt: skip

    @classmethod
    def from_marks_json(cls, data: dict) -> SidecarFields:
        return cls(**{key: data.get(key) for key in MARKS})


def read_fields(packet: XmpPacket) -> SidecarFields:
    """Shoebox's view of a packet; values it cannot understand read as absent."""
    albums = packet.get_list(SHOEBOX, "Albums")
    return SidecarFields(
        rating=_rating(packet.get_text(XMP, "Rating")),
        caption=(packet.get_lang_alt(DC, "description") or "").strip() or None,
        tags=_tags(packet),
        favourite=_boolean(packet.get_text(SHOEBOX, "Favourite")),
        albums=None if albums is None else _unique(albums),
        taken_at=parse_xmp_date(packet.get_text(EXIF, "DateTimeOriginal")),
        gps=_gps(packet),
        faces=face_names(read_face_regions(packet)),
    )


def write_marks(packet: XmpPacket, wanted: SidecarFields) -> None:
    """Make the packet say ``wanted``'s rating, caption, tags, favourite and albums
    (``wanted`` comes from the catalog: its lists are never ``None``).

    A rating of ``None`` removes a 1–5 star rating but keeps 0 and -1 (rejected), which
    other tools use as a decision Shoebox has no way to express.
    """
    current = _rating(packet.get_text(XMP, "Rating"))
    if wanted.rating is not None:
        packet.set_text(XMP, "Rating", str(wanted.rating))
    elif current is not None and current > 0:
        packet.remove(XMP, "Rating")
    packet.set_lang_alt(DC, "description", wanted.caption)
    _write_keyword_trees(packet, _tags(packet) or [], wanted.tags or [])
    packet.set_list(DC, "subject", _keep_order(packet.get_list(DC, "subject") or [], wanted.tags or []))
    packet.set_text(SHOEBOX, "Favourite", "True" if wanted.favourite else None)
    packet.set_list(SHOEBOX, "Albums", _keep_order(packet.get_list(SHOEBOX, "Albums") or [], wanted.albums or []))


def _tags(packet: XmpPacket) -> list[str] | None:
    """``dc:subject``; without it, the leaves of a keyword tree (digiKam, Lightroom); else ``None``."""
    tags = packet.get_list(DC, "subject")
    if tags is None:
        trees = [(packet.get_list(ns, name), sep) for ns, name, sep, _ordered in KEYWORD_TREES]
        if all(entries is None for entries, _sep in trees):
            return None
        tags = [_leaf(entry, sep) for entries, sep in trees if entries is not None for entry in entries]
    return _unique(tags)


def _write_keyword_trees(packet: XmpPacket, before: list[str], after: list[str]) -> None:
    """Keep digiKam's and Lightroom's keyword trees (when the sidecar has them) in step with
    the tags: a removed tag's entries go (``Places/France/Paris`` for ``Paris``), a new tag
    is added at the top level; every other entry and its hierarchy stays."""
    removed = {name.casefold() for name in before} - {name.casefold() for name in after}
    added = [name for name in after if name.casefold() not in {b.casefold() for b in before}]
    for namespace, name, separator, ordered in KEYWORD_TREES:
        entries = packet.get_list(namespace, name)
        if entries is None or not (removed or added):
            continue
        kept = [entry for entry in entries if _leaf(entry, separator).casefold() not in removed]
        leaves = {_leaf(entry, separator).casefold() for entry in kept}
        updated = kept + [tag for tag in added if tag.casefold() not in leaves]
        if updated != entries:
            packet.set_list(namespace, name, updated, ordered=ordered)


def _leaf(entry: str, separator: str) -> str:
    return entry.rsplit(separator, 1)[-1].strip()


def has_marks(fields: SidecarFields) -> bool:
    """Whether there is anything of Shoebox's to write (an empty sidecar is never created)."""
    return bool(fields.rating or fields.caption or fields.tags or fields.favourite or fields.albums or fields.faces)


def _keep_order(current: list[str], wanted: list[str]) -> list[str]:
    """``wanted``, with the names already there in their order first (same name, any case)."""
    wanted_keys = {name.casefold(): name for name in wanted}
    kept = [name for name in current if name.casefold() in wanted_keys]
    kept_keys = {name.casefold() for name in kept}
    return kept + [name for name in wanted if name.casefold() not in kept_keys]


def write_place_and_date(
    packet: XmpPacket, taken_at: str | None, gps: tuple[float, float, float | None] | None
) -> list[str]:
    """Add a capture date and a GPS position the sidecar lacks (never replaces one: a date
    or place set in another tool is the user's correction). Returns what was added."""
    added: list[str] = []
    if taken_at and packet.get_text(EXIF, "DateTimeOriginal") is None:
        packet.set_text(EXIF, "DateTimeOriginal", taken_at)
        added.append("taken_at")
    if gps is not None and packet.get_text(EXIF, "GPSLatitude") is None:
        lat, lon, alt = gps
        packet.set_text(EXIF, "GPSVersionID", "2.3.0.0")
        packet.set_text(EXIF, "GPSLatitude", format_coordinate(lat, "NS"))
        packet.set_text(EXIF, "GPSLongitude", format_coordinate(lon, "EW"))
        if alt is not None:
            packet.set_text(EXIF, "GPSAltitude", _rational(abs(alt)))
            packet.set_text(EXIF, "GPSAltitudeRef", "1" if alt < 0 else "0")
        added.append("gps")
    return added


# --- value formats -----------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?")
_COORD = re.compile(r"^\s*(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?\s*([NSEW])\s*$", re.IGNORECASE)


def parse_xmp_date(text: str | None) -> str | None:
    """An XMP date (``2019-07-14T10:30:00.25+02:00`` or shorter) as the catalog's local
    ``YYYY-MM-DDTHH:MM:SS`` (the zone is dropped: capture times are kept as the camera's
    local time, like EXIF's); ``None`` when it is not a date."""
    match = _DATE.match((text or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    return f"{year}-{month}-{day}T{hour or '00'}:{minute or '00'}:{second or '00'}"


def parse_coordinate(text: str | None) -> float | None:
    """``DDD,MM.mmk`` or ``DDD,MM,SSk`` (k one of N S E W) as signed decimal degrees."""
    match = _COORD.match(text or "")
    if not match:
        return None
    degrees, minutes, seconds, ref = match.groups()
    value = float(degrees) + float(minutes) / 60 + float(seconds or 0) / 3600
    return -value if ref.upper() in "SW" else value


def format_coordinate(value: float, refs: str) -> str:
    """Signed decimal degrees as XMP's ``DDD,MM.mmmmmmk``."""
    ref = refs[0] if value >= 0 else refs[1]
    value = abs(value)
    degrees = int(value)
    return f"{degrees},{(value - degrees) * 60:.6f}{ref}"


def _gps(packet: XmpPacket) -> tuple[float, float, float | None] | None:
    lat = parse_coordinate(packet.get_text(EXIF, "GPSLatitude"))
    lon = parse_coordinate(packet.get_text(EXIF, "GPSLongitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    alt = _fraction(packet.get_text(EXIF, "GPSAltitude"))
    if alt is not None and packet.get_text(EXIF, "GPSAltitudeRef") == "1":
        alt = -alt
    return lat, lon, alt


def _rating(text: str | None) -> int | None:
    try:
        value = round(float(text)) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and -1 <= value <= 5 else None


def _boolean(text: str | None) -> bool | None:
    if text is None:
        return None
    return text.strip().lower() in ("true", "1", "yes")


def _fraction(text: str | None) -> float | None:
    try:
        return float(Fraction(text.strip())) if text else None
    except (ValueError, ZeroDivisionError):
        return None


def _rational(value: float) -> str:
    return f"{round(value * 1000)}/1000"


def _unique(values: list[str]) -> list[str]:
    """Names in order, whitespace collapsed, each once whatever its case."""
    seen: set[str] = set()
    found = []
    for value in values:
        name = " ".join(value.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            found.append(name)
    return found
