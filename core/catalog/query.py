"""The search language shared by the CLI and the TUI, compiled to SQL.

A query is words separated by spaces (quote a value with spaces). ``key:value`` filters,
a bare word searches the path, ``-`` in front negates a term, and terms combine with AND::

    camera:nikon year:2008            date:2008-10..2009-03       kind:video
    "path:summer trip" -format:png    gps:yes  lens:50mm          beach
    "album:Madrid 2021" tag:family    rating:4..  favourite:yes   caption:birthday
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field


class QueryError(ValueError):
    """The query cannot be understood; the message says what is wrong and what is allowed."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: a SQL condition over the ``photos`` table and its parameters."""

    text: str = ""
    sql: str = ""
    params: tuple[object, ...] = field(default_factory=tuple)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _like(column: str) -> Callable[[str], tuple[str, list[object]]]:
    def compile_(value: str) -> tuple[str, list[object]]:
        return f"{column} LIKE ? ESCAPE '\\'", [f"%{_escape_like(value)}%"]

    return compile_


def _equals_lower(column: str) -> Callable[[str], tuple[str, list[object]]]:
    def compile_(value: str) -> tuple[str, list[object]]:
        return f"lower({column}) = ?", [value.lower()]

    return compile_


def _camera(value: str) -> tuple[str, list[object]]:
    pattern = f"%{_escape_like(value)}%"
    return "(make LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\')", [pattern, pattern]


def _format(value: str) -> tuple[str, list[object]]:
    aliases = {"jpg": "jpeg", "tif": "tiff", "heif": "heic"}
    return "format = ?", [aliases.get(value.lower(), value.lower())]


def _date_range(value: str) -> tuple[str, list[object]]:
    """``2008``, ``2008-10``, ``2008-10-22`` or a range ``A..B`` (either end may be empty)."""
    start, sep, end = value.partition("..")
    if not sep:
        end = start
    for part in (start, end):
        if part and not _DATE.match(part):
            raise QueryError(f"'{value}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, or A..B for a range")
    clauses: list[str] = []
    params: list[object] = []
    if start:
        clauses.append("taken_at >= ?")
        params.append(start)
    if end:
        # Everything that starts with the end prefix is inside the range.
        clauses.append("taken_at < ?")
        params.append(end + "\U0010ffff")
    if not clauses:
        raise QueryError("an empty date range matches nothing; give at least one end")
    return " AND ".join(clauses), params


def _year(value: str) -> tuple[str, list[object]]:
    if not re.fullmatch(r"\d{4}(\.\.\d{4})?|\d{4}\.\.|\.\.\d{4}", value):
        raise QueryError(f"'{value}' is not a year: use 2008 or 2005..2008")
    return _date_range(value)


def _yes_no(condition: str) -> Callable[[str], tuple[str, list[object]]]:
    def compile_(value: str) -> tuple[str, list[object]]:
        if value.lower() in ("yes", "y", "true", "1"):
            return condition, []
        if value.lower() in ("no", "n", "false", "0"):
            return f"NOT ({condition})", []
        raise QueryError(f"'{value}' should be yes or no")

    return compile_


def _sha(value: str) -> tuple[str, list[object]]:
    return "sha256 LIKE ?", [_escape_like(value.lower()) + "%"]


def _album(value: str) -> tuple[str, list[object]]:
    """Photos in the album of that name (whole name, any case)."""
    return ("photos.id IN (SELECT ap.photo_id FROM album_photos ap JOIN albums a ON a.id = ap.album_id "
            "WHERE a.name = ? COLLATE NOCASE)"), [value]  # fmt: skip


def _tag(value: str) -> tuple[str, list[object]]:
    """Photos carrying that tag (whole tag, any case)."""
    return ("photos.id IN (SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id "
            "WHERE t.name = ? COLLATE NOCASE)"), [value]  # fmt: skip


def _rating(value: str) -> tuple[str, list[object]]:
    """``rating:4`` exactly 4 stars, ``rating:3..`` at least 3, ``rating:..2`` at most 2, ``rating:2..4``."""
    match = re.fullmatch(r"([0-5])?(\.\.)?([0-5])?", value)
    if not match or not (match.group(1) or match.group(3)) or (not match.group(2) and match.group(3)):
        raise QueryError(f"'{value}' is not a rating: use 0 to 5, or a range like 3.. or 2..4")
    low, dots, high = match.groups()
    if not dots:
        return "coalesce(rating, 0) = ?", [int(low)]
    clauses, params = [], []
    if low:
        clauses.append("coalesce(rating, 0) >= ?")
        params.append(int(low))
    if high:
        clauses.append("coalesce(rating, 0) <= ?")
        params.append(int(high))
    return " AND ".join(clauses), params


FILTERS: dict[str, Callable[[str], tuple[str, list[object]]]] = {
    "camera": _camera,
    "make": _like("make"),
    "model": _like("model"),
    "lens": _like("lens"),
    "path": _like("path"),
    "folder": _like("folder"),
    "year": _year,
    "date": _date_range,
    "format": _format,
    "kind": _equals_lower("kind"),
    "source": _equals_lower("taken_at_source"),
    "gps": _yes_no("gps_lat IS NOT NULL AND gps_lon IS NOT NULL"),
    "problem": _yes_no("error IS NOT NULL"),
    "sha": _sha,
    "album": _album,
    "tag": _tag,
    "rating": _rating,
    "favourite": _yes_no("favourite != 0"),
    "favorite": _yes_no("favourite != 0"),
    "caption": _like("caption"),
}


def filter_term(key: str, value: str) -> str:
    """One ``key:value`` term, quoted so that :func:`parse_query` reads ``value`` back whole."""
    if re.fullmatch(r"[\w.\-]+", value):
        return f"{key}:{value}"
    if '"' not in value and "\\" not in value:
        return f'"{key}:{value}"'
    return shlex.quote(f"{key}:{value}")


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_query(text: str) -> Query:
    """Compile a query string; raises :class:`QueryError` with a helpful message."""
    text = text.strip()
    if not text:
        return Query()
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise QueryError(f"unbalanced quotes in the query: {exc}") from exc
    clauses: list[str] = []
    params: list[object] = []
    for word in words:
        negate = word.startswith("-") and len(word) > 1
        term = word[1:] if negate else word
        key, sep, value = term.partition(":")
        if sep and key.lower() in FILTERS:
            if not value:
                raise QueryError(f"'{key}:' needs a value, for example {key}:{_example(key.lower())}")
            sql, values = FILTERS[key.lower()](value)
        elif sep and re.fullmatch(r"[a-z]+", key.lower()):
            raise QueryError(f"unknown filter '{key}:'; filters are: {', '.join(sorted(FILTERS))}")
        else:
            sql, values = _like("path")(term)
        clauses.append(f"NOT coalesce(({sql}), 0)" if negate else f"({sql})")
        params.extend(values)
    return Query(text, " AND ".join(clauses), tuple(params))


def _example(key: str) -> str:
    examples = {"year": "2008", "date": "2008-10..2008-12", "gps": "yes", "problem": "yes", "kind": "video",
                "album": '"Summer 2019"', "tag": "beach", "rating": "4..", "favourite": "yes", "favorite": "yes"}  # fmt: skip
    return examples.get(key, "nikon")
