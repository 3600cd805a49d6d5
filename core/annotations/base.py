"""The annotator protocol: what a capability that attaches things to photos provides.

An annotator reads its fields for a batch of photos (the JSON keys of ``ls --json`` and
``show --json``), merges donors onto a keeper with a JSON undo record, carries its things
over when a photo row is merged into another (a move seen in two halves), names the
fields the duplicates view compares, and gives labels for the backup manifest (read for
a rebuild, and for a trashed photo restored onto a new row) and fields for the XMP
sidecar. Only :meth:`Annotator.read` is required; the others default to "nothing".
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from core.catalog.db import Database

#: A per-photo record of JSON values: ``{"albums": [...], "rating": 4}``.
Fields = dict[str, Any]
#: Where labels are read from: the catalog, or a connection inside a transaction (both ``execute``).
Reader = Database | sqlite3.Connection


class Annotator(ABC):
    """One capability's things on photos (see the module docstring)."""

    #: Stable key of this annotator's undo records inside stored merges; never rename it.
    name: str = ""
    #: Fields of :meth:`read` the duplicates view compares side by side (display order).
    compared: tuple[str, ...] = ()

    @abstractmethod
    def read(self, db: Database, photo_ids: Sequence[int]) -> dict[int, Fields]:
        """The fields of each photo, every id present (empty values when nothing is attached).

        Batched: one query per table for the whole sequence, never one per photo.
        """

    def merge(self, conn: sqlite3.Connection, keeper_id: int, donor_ids: Sequence[int]) -> Fields | None:
        """Give the keeper what the donors carry, inside the caller's transaction; returns a
        JSON-serialisable undo record (``None`` when nothing changed)."""
        return None

    def revert(self, conn: sqlite3.Connection, keeper_id: int, undo: Fields) -> None:
        """Take back what :meth:`merge` recorded in ``undo`` (inside the caller's transaction)."""

    def carry(self, conn: sqlite3.Connection, from_id: int, to_id: int) -> None:
        """Give ``to_id`` what is on ``from_id``, which is about to be deleted (a move)."""

    def labels(self, db: Reader, photo_ids: Sequence[int] | None = None) -> dict[int, Fields]:
        """Manifest labels of labelled photos only (``None``: every photo, one bulk read)."""
        return {}

    def no_labels(self) -> Fields:
        """The labels every manifest record has even when this photo has none (``{"albums": []}``)."""
        return {}

    def apply_labels(self, db: Database, photo_id: int, record: Fields) -> None:
        """Put back on a photo what :meth:`labels` gave for it (a rebuild, a restore)."""

    def fingerprint(self, db: Database) -> str:
        """A cheap value that changes whenever :meth:`labels` would (skips unchanged manifests)."""
        return ""

    def sidecar(self, fields: Fields) -> Fields:
        """The XMP sidecar fields (``core.xmp.fields.SidecarFields`` names) for one photo's :meth:`read` fields."""
        return {}
