"""What exiftool read from the corpus (``exif_truth.tsv``), as expected values for tests."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_VALID_DATE = re.compile(r"^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Truth:
    path: str  # relative to the corpus
    taken_at: str | None  # ISO form, only when DateTimeOriginal is a valid date
    gps_lat: float | None
    gps_lon: float | None
    make: str | None
    model: str | None
    orientation: int | None
    width: int | None
    height: int | None


def _value(text: str) -> str | None:
    return None if text.strip() in ("-", "") else text.strip()


def _date(text: str) -> str | None:
    match = _VALID_DATE.match(text.strip())
    if not match or match.group(1) == "0000" or match.group(2) == "00":
        return None
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}"


def load_truth(corpus: Path) -> list[Truth]:
    rows = []
    with open(corpus / "exif_truth.tsv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            num = lambda key, row=row: None if _value(row[key]) is None else float(row[key])  # noqa: E731
            whole = lambda key, row=row: None if _value(row[key]) is None else int(float(row[key]))  # noqa: E731
            rows.append(Truth(
                row["path"], _date(row["DateTimeOriginal"]), num("GPSLatitude"), num("GPSLongitude"),
                _value(row["Make"]), _value(row["Model"]), whole("Orientation"),
                whole("ImageWidth"), whole("ImageHeight"),
            ))  # fmt: skip
    return rows


#: Files that cannot be catalogued at all (expected in ``problems`` only).
UNREADABLE = {"broken/text_named_as.jpg", "broken/zero_bytes.jpg"}

#: Documented differences from exiftool: path -> {field: (our value, why)}.
DECISIONS: dict[str, dict[str, tuple[object, str]]] = {
    "exif-samples/jpg/Reconyx_HC500_Hyperfire.jpg": {
        "taken_at": (None, "the date is only in Reconyx's maker note, which Shoebox does not decode; file time used"),
    },
    "exif-samples/jpg/exif-org/sony-powershota5.jpg": {
        "taken_at": (None, "no EXIF segment: exiftool reads a Canon-proprietary block; file time used"),
        "make": (None, "same: not in EXIF"),
        "model": (None, "same: not in EXIF"),
    },
}
