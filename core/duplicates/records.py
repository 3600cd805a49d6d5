"""Records of duplicate detection and resolution: plain dataclasses, no database access."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.records import Photo
from core.xmp.results import SidecarResult


def group_key(photo_ids: Iterable[int]) -> str:
    """A stable 12-hex name for a set of photos (a group's or a decision's)."""
    ids = ",".join(str(i) for i in sorted(set(photo_ids)))
    return hashlib.sha1(ids.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class PairLink:
    """Why two photos were put in one group: their hash distance and a readable reason."""

    first_id: int
    second_id: int
    distance: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"ids": [self.first_id, self.second_id], "distance": self.distance, "reason": self.reason}


@dataclass(slots=True)
class DuplicateGroup:
    """Photos that are copies of one photograph, with the suggested keeper first.

    ``kind`` is ``exact`` when every member has the same bytes (sha256), else ``near``.
    ``distance`` is the largest perceptual distance of the links that joined the group
    (the smaller of the phash and dhash Hamming distances; 0 for exact copies).
    ``links`` are the pairs that joined it (a spanning set, with the reason for each).
    """

    kind: str
    photos: list[Photo]
    keeper_id: int
    keeper_reason: str
    distance: int
    links: list[PairLink] = field(default_factory=list)
    #: True when every keeper signal agrees on the suggestion (safe to accept in bulk).
    confident: bool = False

    @property
    def photo_ids(self) -> list[int]:
        return [p.id for p in self.photos]

    @property
    def keeper(self) -> Photo:
        return next(p for p in self.photos if p.id == self.keeper_id)

    @property
    def others(self) -> list[Photo]:
        return [p for p in self.photos if p.id != self.keeper_id]

    @property
    def savings(self) -> int:
        """Bytes freed by keeping only the suggested keeper."""
        return sum(p.size for p in self.others)

    @property
    def key(self) -> str:
        """A stable name for this set of photos (the same members give the same key)."""
        return group_key(self.photo_ids)

    def reason_for(self, photo_id: int) -> str | None:
        """Why this member is in the group (the first link that names it)."""
        for link in self.links:
            if photo_id in (link.first_id, link.second_id):
                return link.reason
        return None

    def to_json(self) -> dict[str, object]:
        """The public JSON form: ``kind``, ``keep``, ``photos``, ``distance`` (+ details)."""
        return {
            "kind": self.kind,
            "keep": self.keeper.path,
            "photos": [p.path for p in self.photos],
            "distance": self.distance,
            "key": self.key,
            "ids": self.photo_ids,
            "keep_reason": self.keeper_reason,
            "confident": self.confident,
            "savings": self.savings,
            "links": [link.to_json() for link in self.links],
        }


@dataclass(slots=True)
class Resolution:
    """What resolving one group did: the kept photos, the trashed ones, the ones left alone."""

    id: int | None
    group_key: str
    kept: list[Photo]
    trashed: list[tuple[Photo, int | None]] = field(default_factory=list)  # (photo, trash entry id)
    skipped: list[tuple[Photo, str]] = field(default_factory=list)  # kept on purpose (reference)
    failed: list[tuple[Photo, str]] = field(default_factory=list)  # could not be moved: why
    dry_run: bool = False
    sidecars: list[SidecarResult] = field(default_factory=list)  # keepers' XMP sidecars written (core/xmp/auto.py)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_json(self) -> dict[str, object]:
        return {
            "resolution": self.id,
            "keep": [p.path for p in self.kept],
            "trashed": [{"path": p.path, "trash_id": entry} for p, entry in self.trashed],
            "skipped": [{"path": p.path, "reason": reason} for p, reason in self.skipped],
            "failed": [{"path": p.path, "reason": reason} for p, reason in self.failed],
            "dry_run": self.dry_run,
            "sidecars": [r.to_json() for r in self.sidecars],
        }


@dataclass(slots=True)
class DismissedGroup:
    """A set of photos someone said are not duplicates (restorable with its key or id)."""

    decision_id: int
    decided_at: str
    photos: list[Photo]

    @property
    def key(self) -> str:
        return group_key(p.id for p in self.photos)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.decision_id,
            "key": self.key,
            "decided_at": self.decided_at,
            "photos": [p.path for p in self.photos],
            "ids": [p.id for p in self.photos],
        }
