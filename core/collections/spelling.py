"""The library's spelling of a tag or album name typed (or read from a sidecar) in another case."""

from __future__ import annotations

from typing import Literal

from core.catalog.db import Database


def spelled_as_known(db: Database, kind: Literal["tags", "albums"], name: str) -> str:
    """The existing tag or album name that differs only in case (``paris`` → ``Paris``), else ``name``."""
    table = {"tags": "tags", "albums": "albums"}[kind]
    row = db.conn.execute(
        f"SELECT name FROM {table} WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1", (name,)
    ).fetchone()
    return row[0] if row else name
