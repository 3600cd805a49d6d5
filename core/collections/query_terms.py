"""Query terms over what a person adds: ``album:``, ``tag:``, ``rating:``, ``favourite:``, ``caption:``.

Registered here because these tables and columns belong to collections (catalog migration 2);
the catalog's query language finds this module by its name (see :mod:`core.catalog.query.terms`).
"""

from __future__ import annotations

import re

from core.catalog.query import Clause, QueryError, QueryTerm, contains, register_term, yes_no

GROUP = "What you added"


def _album(value: str) -> Clause:
    """Photos in the album of that name (whole name, any case)."""
    return Clause("photos.id IN (SELECT ap.photo_id FROM album_photos ap JOIN albums a ON a.id = ap.album_id "
                  "WHERE a.name = ? COLLATE NOCASE)", (value,))  # fmt: skip


def _tag(value: str) -> Clause:
    """Photos carrying that tag (whole tag, any case)."""
    return Clause("photos.id IN (SELECT pt.photo_id FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id "
                  "WHERE t.name = ? COLLATE NOCASE)", (value,))  # fmt: skip


def _rating(value: str) -> Clause:
    """``rating:4`` exactly 4 stars, ``rating:3..`` at least 3, ``rating:..2`` at most 2, ``rating:2..4``."""
    match = re.fullmatch(r"([0-5])?(\.\.)?([0-5])?", value)
    if not match or not (match.group(1) or match.group(3)) or (not match.group(2) and match.group(3)):
        raise QueryError(f"'{value}' is not a rating: use 0 to 5, or a range like 3.. or 2..4")
    low, dots, high = match.groups()
    if not dots:
        return Clause("coalesce(rating, 0) = ?", (int(low),))
    if low and high and int(low) > int(high):
        raise QueryError(f"'{value}' is not a rating range: it ends before it starts")
    clauses, params = [], []
    if low:
        clauses.append("coalesce(rating, 0) >= ?")
        params.append(int(low))
    if high:
        clauses.append("coalesce(rating, 0) <= ?")
        params.append(int(high))
    return Clause(" AND ".join(clauses), tuple(params))


TERMS = (
    QueryTerm(
        "album",
        "NAME",
        "in the album of that name (the whole name, any case)",
        'album:"Summer 2019"',
        _album,
        group=GROUP,
        hint=True,
    ),
    QueryTerm("tag", "NAME", "has that tag (the whole tag, any case)", "tag:beach", _tag, group=GROUP, hint=True),
    QueryTerm(
        "rating",
        "0-5 or A..B",
        "that many stars, or a range (3.. at least, ..2 at most; unrated is 0)",
        "rating:4..",
        _rating,
        group=GROUP,
        hint=True,
    ),
    QueryTerm(
        "favourite",
        "yes|no",
        "marked as a favourite",
        "favourite:yes",
        yes_no("favourite != 0"),
        aliases=("favorite",),
        group=GROUP,
    ),
    QueryTerm("caption", "TEXT", "the caption contains TEXT", "caption:birthday", contains("caption"), group=GROUP),
)
for _term in TERMS:
    register_term(_term)
