"""The search language shared by the CLI and the TUI, compiled to SQL.

A query is words separated by spaces (quote a value with spaces). ``key:value`` filters,
a bare word searches the path, ``-`` in front negates a term, and terms combine with AND::

    camera:nikon year:2008            date:2008-10..2009-03       kind:video
    "path:summer trip" -format:png    gps:yes  lens:50mm          beach
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
}


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
    return {"year": "2008", "date": "2008-10..2008-12", "gps": "yes", "problem": "yes", "kind": "video"}.get(
        key, "nikon"
    )
