"""Columns of ``photos`` a merge onto a keeper changes: read, set and put back one way for
the photo's own metadata (core/duplicates/merge.py) and an annotator's marks on the row."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any


def keeper_and_donors(
    conn: sqlite3.Connection, columns: Sequence[str], keeper_id: int, donors: Sequence[int]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``columns`` of the keeper, and of each donor (by id), as ``{column: value}``."""
    names = ", ".join(columns)
    keeper = dict(
        zip(columns, conn.execute(f"SELECT {names} FROM photos WHERE id = ?", (keeper_id,)).fetchone(), strict=True)
    )
    marks = ", ".join("?" for _ in donors)
    rows = conn.execute(f"SELECT {names} FROM photos WHERE id IN ({marks}) ORDER BY id", list(donors)).fetchall()
    return keeper, [dict(zip(columns, row, strict=True)) for row in rows]


def set_columns(conn: sqlite3.Connection, photo_id: int, updates: Mapping[str, object]) -> None:
    """Write ``updates`` (``{column: value}``, not empty) onto one photo row."""
    assignments = ", ".join(f"{k} = ?" for k in updates)
    conn.execute(f"UPDATE photos SET {assignments} WHERE id = ?", (*updates.values(), photo_id))


def put_back(
    conn: sqlite3.Connection, photo_id: int, columns: Sequence[str], before: Mapping[str, object],
    after: Mapping[str, object],
) -> None:  # fmt: skip
    """Give each of ``columns`` in ``before`` its old value, only while it still holds ``after``'s."""
    for column, value in before.items():
        if column in columns:
            conn.execute(
                f"UPDATE photos SET {column} = ? WHERE id = ? AND {column} IS ?", (value, photo_id, after.get(column))
            )
