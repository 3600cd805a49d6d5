"""The library's trash: files moved aside, never deleted until a purge.

* :func:`trash_photos` moves photos' files to ``<library>/trash`` (a rename on the same
  filesystem, else copy + sha256 check + remove), journaled in the catalog so a kill -9
  leaves every file in place or in the trash with its row (:func:`recover` settles it).
* :func:`list_trash`, :func:`restore` (byte-identical, at the old path or a free name
  beside it, re-linked in the catalog), :func:`restore_all`.
* :func:`purge` deletes trashed files older than the retention (config
  ``[trash] retention_days``, default 30): the only place Shoebox unlinks an original.
"""

from core.trash.journal import recover
from core.trash.operations import (
    TrashOutcome,
    carry_out,
    list_trash,
    parse_duration,
    purge,
    restore,
    restore_all,
    retention,
    trash_photos,
)
from core.trash.records import PurgeResult, Restored, TrashEntry, TrashError

__all__ = [
    "PurgeResult", "Restored", "TrashEntry", "TrashError", "TrashOutcome", "carry_out", "list_trash",
    "parse_duration", "purge", "recover", "restore", "restore_all", "retention", "trash_photos",
]  # fmt: skip
