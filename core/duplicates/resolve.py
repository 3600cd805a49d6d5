"""Acting on a group: resolve (keep some, trash the rest), undo, or dismiss as not duplicates.

Resolving writes, in **one** transaction, the "resolved" decision, the merge onto the
keepers (:mod:`core.duplicates.merge`) and a trash-journal row per copy to move; then
the files move one by one (:mod:`core.trash`). A kill -9 at any point leaves each file
in place or in the trash with its row; the next open of the library settles the
journal (:func:`core.trash.recover`).

When the library keeps sidecars in step (``shoebox xmp auto``), the keepers' XMP sidecars
are written after the merge (and again after an undo).

Copies in a reference root are never trashed (nor those whose real folder is one, reached
by another path), nor a second path to a keeper; both are reported as skipped. Right
before each copy moves, :class:`core.duplicates.safety.TrashGuard` checks that its keepers
still exist, are other files and hold the bytes the decision was made on, and that the
copy is unchanged since review (both re-hashed); otherwise the copy stays and is
reported as failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.catalog.photos import get_photo
from core.catalog.records import Photo
from core.duplicates.finder import refresh_group
from core.duplicates.merge import MergeChange, merge_into, revert_merge
from core.duplicates.records import DismissedGroup, DuplicateGroup, Resolution
from core.duplicates.safety import TrashGuard
from core.duplicates.store import (
    delete_decision,
    get_resolution,
    insert_resolution,
    list_decisions,
    mark_undone,
    record_decision,
)  # fmt: skip
from core.library import Library
from core.trash import journal
from core.trash.lock import moves_under_way
from core.trash.operations import carry_out, restore
from core.trash.records import Restored, TrashError
from core.xmp.auto import sync_after_change
from core.xmp.results import SidecarResult


class ResolveError(Exception):
    """A group cannot be resolved as asked; the message says why."""


def resolve_group(
    library: Library,
    group: DuplicateGroup,
    keep_ids: Iterable[int] | None = None,
    *,
    dry_run: bool = False,
    copy: bool = False,
) -> Resolution:
    """Keep ``keep_ids`` (default: the suggested keeper), merge onto them, trash the others.

    ``dry_run`` only says what would happen. ``copy`` forces copy + verify + remove even
    on one filesystem (tests).
    """
    members = refresh_group(library, group)
    keep = set(keep_ids) if keep_ids is not None else {group.keeper_id}
    kept = [p for p in members if p.id in keep]
    if not kept:
        raise ResolveError("keep at least one photo of the group that is still in place")
    guard = TrashGuard(library, kept)
    to_trash: list[Photo] = []
    skipped: list[tuple[Photo, str]] = []
    for photo in members:
        if photo.id in keep:
            continue
        reason = guard.skip_reason(photo)
        if reason is not None:
            skipped.append((photo, reason))
        else:
            to_trash.append(photo)
    if dry_run:
        return Resolution(None, group.key, kept, [(p, None) for p in to_trash], skipped, dry_run=True)
    with moves_under_way(library):
        with library.db.transaction() as conn:
            decision_id = record_decision(conn, "resolved", [p.id for p in members])
            changes = [merge_into(conn, k.id, [p.id for p in to_trash]) for k in kept]
            resolution_id = insert_resolution(conn, decision_id, [c.to_json() for c in changes if not c.empty])
            keeper_ids = [k.id for k in kept]
            entry_ids = [journal.plan_trash(conn, p.id, resolution_id, keeper_ids=keeper_ids) for p in to_trash]
        outcome = carry_out(library, entry_ids, copy=copy, check=guard.before_move)
    by_photo = {p.id: p for p in to_trash}
    trashed = [(by_photo[e.photo_id], e.id) for e in outcome.trashed if e.photo_id in by_photo]
    failed = [(by_photo[pid], reason) for pid, reason in outcome.failed if pid in by_photo]
    merged = [c.keeper_id for c in changes if not c.empty]
    return Resolution(
        resolution_id, group.key, kept, trashed, skipped, failed, sidecars=sync_after_change(library, merged)
    )


@dataclass(slots=True)
class Undo:
    """What undoing a resolution brought back."""

    resolution_id: int
    restored: list[Restored] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    sidecars: list[SidecarResult] = field(default_factory=list)  # keepers' XMP sidecars written back

    def to_json(self) -> dict[str, object]:
        return {
            "resolution": self.resolution_id,
            "restored": [{"path": r.path, "photo_id": r.photo_id, "renamed": r.renamed} for r in self.restored],
            "failed": [{"trash_id": i, "reason": reason} for i, reason in self.failed],
            "sidecars": [r.to_json() for r in self.sidecars],
        }


def undo_resolution(library: Library, resolution_id: int | None = None) -> Undo:
    """Restore the files a resolution trashed and take back its merge and decision.

    ``None`` undoes the most recent resolution not undone yet.
    """
    record = get_resolution(library.db, resolution_id)
    if record is None or record.undone_at is not None:
        raise ResolveError(
            "there is no resolution to undo"
            if resolution_id is None
            else f"resolution {resolution_id} cannot be undone"
        )
    undo = Undo(record.id)
    entries = [e for e in journal.list_entries(library) if e.resolution_id == record.id]
    for entry in entries:
        try:
            undo.restored.append(restore(library, entry.id))
        except TrashError as exc:
            undo.failed.append((entry.id, str(exc)))
    with library.db.transaction() as conn:
        for change in reversed(record.merge):
            revert_merge(conn, MergeChange.from_json(change))
        if record.decision_id is not None:
            delete_decision(conn, record.decision_id)
        mark_undone(conn, record.id)
    undo.sidecars = sync_after_change(library, [MergeChange.from_json(c).keeper_id for c in record.merge])
    return undo


def dismiss_group(library: Library, group: DuplicateGroup | Iterable[int]) -> int:
    """Remember that these photos are not duplicates; returns the decision's id."""
    ids = group.photo_ids if isinstance(group, DuplicateGroup) else list(group)
    with library.db.transaction() as conn:
        return record_decision(conn, "not_duplicates", ids)


def forget_decision(library: Library, decision_id: int) -> None:
    """Drop a remembered decision (e.g. undo a dismissal): the group may show again."""
    with library.db.transaction() as conn:
        delete_decision(conn, decision_id)


def list_dismissed(library: Library) -> list[DismissedGroup]:
    """The groups marked "not duplicates", newest first (``shoebox dupes --dismissed``)."""
    found: list[DismissedGroup] = []
    for decision in list_decisions(library.db, "not_duplicates"):
        photos = [p for p in (get_photo(library.db, i) for i in sorted(decision.photo_ids)) if p is not None]
        found.append(DismissedGroup(decision.id, decision.decided_at, photos))
    return found


def undismiss(library: Library, key_or_id: str) -> DismissedGroup:
    """Take back a "not duplicates" by its group key or decision id; the group shows again.

    Raises :class:`ResolveError` when no dismissed group has that key or id.
    """
    wanted = key_or_id.strip().lower()
    for dismissed in list_dismissed(library):
        if wanted in (dismissed.key, str(dismissed.decision_id)):
            forget_decision(library, dismissed.decision_id)
            return dismissed
    raise ResolveError(f"no dismissed group has the key or id {key_or_id!r} (see `shoebox dupes --dismissed`)")
