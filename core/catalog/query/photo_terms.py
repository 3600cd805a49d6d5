"""The catalog's own query terms: what indexing read from each file (columns of ``photos``)."""

from __future__ import annotations

import datetime as dt
import re

from core.catalog.query.terms import Clause, QueryError, QueryTerm, contains, one_of, register_term, substring, yes_no

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_HELP = "use YYYY, YYYY-MM or YYYY-MM-DD, or A..B for a range"


def _camera(value: str) -> Clause:
    return substring(("make", "model"), value)


def _format(value: str) -> Clause:
    aliases = {"jpg": "jpeg", "tif": "tiff", "heif": "heic"}
    return Clause("format = ?", (aliases.get(value.lower(), value.lower()),))


def _check_date(part: str, whole: str) -> None:
    """``part`` is YYYY, YYYY-MM or YYYY-MM-DD naming a real year (1-9999), month and day."""
    match = _DATE.fullmatch(part)
    if not match:
        raise QueryError(f"'{whole}' is not a date: {_DATE_HELP}")
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        raise QueryError(f"'{whole}' is not a date ({exc}): {_DATE_HELP}") from None


def _date_range(value: str) -> Clause:
    """``2008``, ``2008-10``, ``2008-10-22`` or a range ``A..B`` (either end may be empty)."""
    start, sep, end = value.partition("..")
    if not sep:
        end = start
    for part in (start, end):
        if part:
            _check_date(part, value)
    if not start and not end:
        raise QueryError("an empty date range matches nothing; give at least one end")
    # Everything that starts with the end prefix is inside the range.
    end_bound = end + "\U0010ffff"
    if start and end and start >= end_bound:
        raise QueryError(f"'{value}' ends before it starts")
    clauses: list[str] = []
    params: list[object] = []
    if start:
        clauses.append("taken_at >= ?")
        params.append(start)
    if end:
        clauses.append("taken_at < ?")
        params.append(end_bound)
    return Clause(" AND ".join(clauses), tuple(params))


def _year(value: str) -> Clause:
    if not re.fullmatch(r"\d{4}(\.\.\d{4})?|\d{4}\.\.|\.\.\d{4}", value):
        raise QueryError(f"'{value}' is not a year: use 2008 or 2005..2008")
    if any(part == "0000" for part in value.split("..")):
        raise QueryError(f"'{value}' is not a year: years start at 0001")
    return _date_range(value)


def _sha(value: str) -> Clause:
    if not re.fullmatch(r"[0-9a-fA-F]{1,64}", value):
        raise QueryError(f"'{value}' is not the start of a sha256: use up to 64 hex digits (0-9, a-f)")
    return Clause("sha256 GLOB ?", (value.lower() + "*",))


TERMS = (
    QueryTerm("camera", "TEXT", "camera make or model contains TEXT", "camera:nikon", _camera, hint=True),
    QueryTerm("make", "TEXT", "camera make contains TEXT", "make:canon", contains("make")),
    QueryTerm("model", "TEXT", "camera model contains TEXT", "model:d750", contains("model")),
    QueryTerm("lens", "TEXT", "lens contains TEXT", "lens:50mm", contains("lens")),
    QueryTerm(
        "path", "TEXT", "the file's path contains TEXT (what a bare word does)", '"path:summer trip"', contains("path")
    ),  # fmt: skip
    QueryTerm("folder", "TEXT", "the file's folder contains TEXT", "folder:trip", contains("folder"), hint=True),
    QueryTerm("year", "YYYY or A..B", "taken that year, or between two years", "year:2008", _year, hint=True),
    QueryTerm(
        "date",
        "YYYY[-MM[-DD]] or A..B",
        "taken on that day, month or year, or in a range (A.. or ..B)",
        "date:2008-10..2009-03",
        _date_range,
        hint=True,
    ),  # fmt: skip
    QueryTerm("format", "jpeg|png|heic|…", "file format (jpg, tif and heif work too)", "format:png", _format),
    QueryTerm("kind", "photo|video", "photos or videos", "kind:video", one_of("kind", ("photo", "video"))),
    QueryTerm(
        "source",
        "exif|exif-create|video|xmp|mtime",
        "where the date came from",
        "source:mtime",
        one_of("taken_at_source", ("exif", "exif-create", "video", "xmp", "mtime")),
    ),  # fmt: skip
    QueryTerm("gps", "yes|no", "has a GPS position", "gps:yes", yes_no("gps_lat IS NOT NULL AND gps_lon IS NOT NULL")),
    QueryTerm(
        "problem", "yes|no", "could not be read (see `shoebox problems`)", "problem:yes", yes_no("error IS NOT NULL")
    ),  # fmt: skip
    QueryTerm("sha", "HEX", "content hash (sha256) starts with HEX", "sha:3fa9", _sha),
)
for _term in TERMS:
    register_term(_term)
