"""Query terms over people: ``person:NAME`` (or ``person:#ID``) and ``faces:N`` (or a range).

Registered here because the faces and persons tables belong to people (catalog migration 9);
the catalog's query language finds this module by its name (see :mod:`core.catalog.query.terms`).
"""

from __future__ import annotations

import re

from core.catalog.query import Clause, QueryError, QueryTerm, register_term

GROUP = "People"
#: The most faces a ``faces:`` count may name (no photo shows more; bigger numbers are typos).
MAX_FACES = 10_000


def _person(value: str) -> Clause:
    """Photos showing that person: the whole name, any case, or ``#ID``."""
    if value.startswith("#"):
        if not re.fullmatch(r"#\d{1,18}", value):
            raise QueryError(f"'{value}' is not a person id: write person:#12")
        return Clause("photos.id IN (SELECT photo_id FROM faces WHERE person_id = ?)", (int(value[1:]),))
    return Clause("photos.id IN (SELECT f.photo_id FROM faces f JOIN persons s ON s.id = f.person_id "
                  "WHERE s.name = ? COLLATE NOCASE)", (value.strip(),))  # fmt: skip


def _count(text: str, value: str) -> int:
    number = int(text)
    if number > MAX_FACES:
        raise QueryError(f"'{value}' is too many faces: at most {MAX_FACES:,}")
    return number


def _faces(value: str) -> Clause:
    """``faces:2`` exactly two faces, ``faces:2..`` at least two, ``faces:..1`` at most one, ``faces:1..3``."""
    match = re.fullmatch(r"(\d{1,6})?(\.\.)?(\d{1,6})?", value)
    if not match or not (match.group(1) or match.group(3)) or (not match.group(2) and match.group(3)):
        raise QueryError(f"'{value}' is not a number of faces: use 2, or a range like 2.. or ..1 or 1..3")
    low, dots, high = match.groups()
    count = "(SELECT count(*) FROM faces WHERE faces.photo_id = photos.id)"
    if not dots:
        return Clause(f"{count} = ?", (_count(low, value),))
    if low and high and int(low) > int(high):
        raise QueryError(f"'{value}' is not a range of faces: it ends before it starts")
    clauses, params = [], []
    if low:
        clauses.append(f"{count} >= ?")
        params.append(_count(low, value))
    if high:
        clauses.append(f"{count} <= ?")
        params.append(_count(high, value))
    return Clause(" AND ".join(clauses), tuple(params))


TERMS = (
    QueryTerm(
        "person",
        "NAME or #ID",
        "shows that person (the whole name, any case), or the person with that id",
        "person:alice",
        _person,
        group=GROUP,
    ),
    QueryTerm(
        "faces",
        "N or A..B",
        "has that many faces found, or a range (2.. at least, ..1 at most)",
        "faces:2..",
        _faces,
        group=GROUP,
    ),
)
for _term in TERMS:
    register_term(_term)
