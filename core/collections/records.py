"""Records for albums and tags."""

from __future__ import annotations

from dataclasses import dataclass


class CollectionError(Exception):
    """An album or tag operation that cannot be done; the message says why."""


@dataclass(frozen=True, slots=True)
class Album:
    id: int
    name: str
    created_at: str
    count: int = 0  # photos in the album (present or not)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "created_at": self.created_at, "photos": self.count}


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    name: str
    count: int = 0

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "photos": self.count}
