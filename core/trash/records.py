"""Records of the trash."""

from __future__ import annotations

import os
from dataclasses import dataclass


class TrashError(Exception):
    """A file could not be moved into or out of the trash; the message says why."""


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """One file in the library's trash (``trash_name`` is relative to the trash folder)."""

    id: int
    photo_id: int | None
    resolution_id: int | None
    original_path: str
    original_path_bytes: bytes | None
    trash_name: str
    sha256: str
    size: int
    state: str  # moving / trashed / restoring
    restore_path: str | None
    trashed_at: str

    @property
    def original_fs_path(self) -> str:
        """The exact original path (even when the name is not valid UTF-8)."""
        return os.fsdecode(self.original_path_bytes) if self.original_path_bytes is not None else self.original_path

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "photo_id": self.photo_id,
            "path": self.original_path,
            "size": self.size,
            "sha256": self.sha256,
            "trashed_at": self.trashed_at,
            "resolution_id": self.resolution_id,
        }


@dataclass(frozen=True, slots=True)
class Restored:
    """A file put back: where it went (its old path, or a new name when that was taken)."""

    entry_id: int
    photo_id: int
    path: str
    renamed: bool


@dataclass(slots=True)
class PurgeResult:
    purged: int = 0
    freed: int = 0
    failed: list[tuple[int, str]] | None = None
