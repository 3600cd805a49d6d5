"""How dates, sizes and counts read in the app (pure functions, no Textual)."""

from __future__ import annotations

import calendar
import os

from rich.cells import cell_len

from core.catalog import UNDATED, Photo
from core.collections import Annotations
from core.units import human_size as core_human_size

MONTHS = tuple(calendar.month_name)
MONTHS_SHORT = tuple(calendar.month_abbr)


def plural(count: int, word: str) -> str:
    """``1 photo``, ``1,234 photos``."""
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {word}{'es' if word.endswith(('s', 'sh', 'ch', 'x')) else 's'}"


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised (core's summaries are lines to go inside a sentence)."""
    return text[:1].upper() + text[1:]


def period_title(key: str) -> str:
    """``2008`` → ``2008``; ``2008-10`` → ``October 2008``; ``2008-10-22`` → ``Wed 22 October 2008``."""
    if key == UNDATED:
        return "Undated"
    parts = key.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return key
    if len(numbers) == 1:
        return key
    year, month = numbers[0], numbers[1]
    if not 1 <= month <= 12:
        return key
    if len(numbers) == 2:
        return f"{MONTHS[month]} {year}"
    day = numbers[2]
    try:
        weekday = calendar.day_abbr[calendar.weekday(year, month, day)]
    except ValueError:
        return key
    return f"{weekday} {day} {MONTHS[month]} {year}"


def short_period(key: str) -> str:
    """Tree labels: ``2008``, ``October``, ``22 Wed``."""
    if key == UNDATED:
        return "Undated"
    parts = key.split("-")
    try:
        if len(parts) == 2:
            return MONTHS[int(parts[1])]
        if len(parts) == 3:
            year, month, day = (int(p) for p in parts)
            return f"{day:2d} {calendar.day_abbr[calendar.weekday(year, month, day)]}"
    except (ValueError, IndexError):
        pass
    return key


def tile_label(photo: Photo, width: int) -> str:
    """A grid tile's caption: ``22 Oct 16:28`` (shortened to fit), or the name when undated."""
    when = photo.taken_at
    if when and len(when) >= 16 and when[5:7].isdigit() and 1 <= int(when[5:7]) <= 12:
        day = str(int(when[8:10])) if when[8:10].isdigit() else when[8:10]
        label = f"{day} {MONTHS_SHORT[int(when[5:7])]} {when[11:16]}"
        if len(label) > width:
            label = f"{day} {MONTHS_SHORT[int(when[5:7])]}"
    else:
        label = photo.name
    return ellipsize(label, width)


def tidy_path(path: str) -> str:
    """``/home/ann/Pictures/x.jpg`` → ``~/Pictures/x.jpg`` (shorter, and the same on every machine)."""
    home = os.path.expanduser("~").rstrip(os.sep)
    if home and home != os.sep and (path == home or path.startswith(home + os.sep)):
        return "~" + path[len(home) :]
    return path


def ellipsize(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def left_ellipsize(text: str, width: int) -> str:
    """``…/2019-01 Tuscany``: a path cut from the left, where folders differ least."""
    if cell_len(text) <= width:
        return text
    return "…" + text[-(width - 1) :] if width > 1 else "…"


def human_size(size: int | None) -> str:
    """Core's human size, with an em dash for unknown sizes."""
    return core_human_size(size, missing="—")


def when_text(photo: Photo) -> str:
    """``2008-10-22 16:28:39`` or ``undated``."""
    return photo.taken_at.replace("T", " ") if photo.taken_at else "undated"


def dimensions(photo: Photo) -> str:
    width, height = photo.upright_size
    return f"{width}×{height}" if width and height else "—"


def exposure_text(photo: Photo) -> str | None:
    """``1/250 s · f/2.8 · ISO 100 · 50 mm`` from whatever is known."""
    parts = []
    if photo.exposure_time:
        parts.append(f"{photo.exposure_time} s")
    if photo.f_number:
        parts.append(f"f/{photo.f_number:g}")
    if photo.iso:
        parts.append(f"ISO {photo.iso}")
    if photo.focal_length:
        parts.append(f"{photo.focal_length:g} mm")
    return " · ".join(parts) or None


SOURCE_NAMES = {
    "exif": "EXIF DateTimeOriginal",
    "exif-create": "EXIF CreateDate",
    "video": "video container",
    "mtime": "file modification time",
    "xmp": "XMP sidecar",
}


def photo_facts(photo: Photo) -> list[tuple[str, str]]:
    """The metadata panel's rows: (label, value) for every fact the catalog knows."""
    facts: list[tuple[str, str]] = [("Name", photo.name)]
    date = when_text(photo)
    if photo.taken_at_source:
        date += f"\n(from {SOURCE_NAMES.get(photo.taken_at_source, photo.taken_at_source)})"
    facts.append(("Taken", date))
    if photo.camera:
        facts.append(("Camera", photo.camera))
    if photo.lens:
        facts.append(("Lens", photo.lens))
    if exposure := exposure_text(photo):
        facts.append(("Exposure", exposure))
    facts.append(("Pixels", dimensions(photo)))
    facts.append(("File", f"{human_size(photo.size)} {photo.format.upper()}"))
    if photo.orientation and photo.orientation != 1:
        facts.append(("Orientation", f"EXIF {photo.orientation} (shown upright)"))
    if photo.gps_lat is not None and photo.gps_lon is not None:
        gps = f"{photo.gps_lat:.5f}, {photo.gps_lon:.5f}"
        if photo.gps_alt is not None:
            gps += f"\n{photo.gps_alt:.0f} m altitude"
        facts.append(("GPS", gps))
    facts.append(("Path", tidy_path(photo.path)))
    if photo.status != "present":
        facts.append(("Status", photo.status))
    if photo.error:
        facts.append(("Problem", photo.error))
    return facts


def stars(rating: int | None) -> str:
    """``★★★☆☆`` for 3 of 5; ``unrated`` for none."""
    if not rating:
        return "unrated"
    return "★" * rating + "☆" * (5 - rating)


def annotation_facts(notes: Annotations) -> list[tuple[str, str]]:
    """The metadata panel's rows for what the user added: rating, favourite, albums, tags, caption."""
    facts = [("Rating", stars(notes.rating) + ("  ♥ favourite" if notes.favourite else ""))]
    if notes.albums:
        facts.append(("Albums", ", ".join(notes.albums)))
    if notes.tags:
        facts.append(("Tags", ", ".join(notes.tags)))
    if notes.caption:
        facts.append(("Caption", notes.caption))
    return facts
