"""Reviewing duplicate groups one by one: where the review is, and one undo stack for every decision.

Plain data, no UI and no database: the TUI's duplicates pane drives a :class:`ReviewSession`
from key presses (the current group and copy, the copies marked to keep) and records every
decision it carries out — resolving a group, accepting suggestions in bulk, "not duplicates",
changing the keeper — as one :data:`Step` on the session's undo stack. :func:`undo_step`
takes a step back in the catalog and the files (the keeper change needs nothing there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.duplicates.records import DuplicateGroup
from core.duplicates.resolve import ResolveError, Undo, forget_decision, undo_resolution
from core.library import Library


@dataclass(frozen=True, slots=True)
class Resolved:
    """Groups resolved by one key press (one group, or a bulk accept): one undo brings all back."""

    groups: tuple[DuplicateGroup, ...]
    resolution_ids: tuple[int, ...]
    marks: tuple[tuple[str, frozenset[int]], ...] = ()  # the copies marked to keep, put back on undo


@dataclass(frozen=True, slots=True)
class Dismissed:
    """A group marked "not duplicates"; undo forgets the decision."""

    group: DuplicateGroup
    decision_id: int


@dataclass(frozen=True, slots=True)
class KeeperChanged:
    """The copies marked to keep in a group changed; undo puts the previous marks back."""

    group_key: str
    previous: frozenset[int]  # empty: the suggestion was the keeper


Step = Resolved | Dismissed | KeeperChanged


@dataclass(frozen=True, slots=True)
class BulkPlan:
    """What accepting every confident suggestion would do (shown before it is done)."""

    groups: tuple[DuplicateGroup, ...]

    @property
    def files(self) -> int:
        return sum(len(g.others) for g in self.groups)

    @property
    def savings(self) -> int:
        return sum(g.savings for g in self.groups)


@dataclass(slots=True)
class UndoOutcome:
    """What :func:`undo_step` brought back; ``errors`` are resolutions that could not be undone."""

    step: Step
    undos: list[Undo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def restored(self) -> int:
        return sum(len(u.restored) for u in self.undos)

    @property
    def failed(self) -> list[str]:
        return [why for u in self.undos for _, why in u.failed] + self.errors


class ReviewSession:
    """The groups under review, the cursor (group and copy), marks, and the undo stack."""

    def __init__(self, groups: Iterable[DuplicateGroup] = ()) -> None:
        self.groups: list[DuplicateGroup] = list(groups)
        self.search_text = ""
        self.shown: list[DuplicateGroup] = list(self.groups)
        self.index = 0
        self.member_index = 0
        self.marks: dict[str, set[int]] = {}
        self.undo_stack: list[Step] = []

    # --- the groups and the cursor ----------------------------------------------------

    def set_groups(self, groups: Iterable[DuplicateGroup]) -> None:
        """New groups from a search; the cursor stays on the same group (or the same row)."""
        key = self.current.key if self.current else None
        self.groups = list(groups)
        keys = {g.key for g in self.groups}
        self.marks = {k: v for k, v in self.marks.items() if k in keys}
        self._refilter(key)

    def filter(self, text: str) -> None:
        """Show only groups with a file whose path contains ``text`` (any case)."""
        key = self.current.key if self.current else None
        self.search_text = text
        self._refilter(key)

    def _refilter(self, keep_key: str | None) -> None:
        needle = self.search_text.strip().lower()
        self.shown = [g for g in self.groups if not needle or any(needle in p.path.lower() for p in g.photos)]
        keys = [g.key for g in self.shown]
        if keep_key in keys:
            self.select(keys.index(keep_key))
        else:
            self.select(min(self.index, max(len(self.shown) - 1, 0)), keep_member=False)

    @property
    def current(self) -> DuplicateGroup | None:
        return self.shown[self.index] if 0 <= self.index < len(self.shown) else None

    def select(self, index: int, *, keep_member: bool = True) -> None:
        """Put the cursor on group ``index`` (of those shown); a new group starts at its first copy."""
        index = max(0, min(index, len(self.shown) - 1)) if self.shown else 0
        if index != self.index or not keep_member:
            self.member_index = 0
        self.index = index
        group = self.current
        if group is not None:
            self.member_index = min(self.member_index, len(group.photos) - 1)

    def move_group(self, delta: int) -> None:
        """Previous/next group; stops at the ends (a held key does not wrap around)."""
        self.select(self.index + delta)

    def skip(self) -> None:
        """Next group, wrapping to the first: leave this one for later."""
        if self.shown:
            self.select((self.index + 1) % len(self.shown))

    def move_member(self, delta: int) -> None:
        """Previous/next copy of the current group, wrapping around."""
        group = self.current
        if group is not None:
            self.member_index = (self.member_index + delta) % len(group.photos)

    @property
    def current_photo_id(self) -> int | None:
        group = self.current
        return group.photos[self.member_index].id if group is not None else None

    def select_key(self, key: str) -> None:
        keys = [g.key for g in self.shown]
        if key in keys:
            self.select(keys.index(key))

    # --- keepers ------------------------------------------------------------------------

    def keep_ids(self, group: DuplicateGroup) -> set[int]:
        """What resolving keeps: the marked copies, else the suggested keeper."""
        return set(self.marks.get(group.key) or {group.keeper_id})

    def toggle_keeper(self) -> bool:
        """Mark or unmark the current copy as one to keep (undoable); False with no group."""
        group, photo_id = self.current, self.current_photo_id
        if group is None or photo_id is None:
            return False
        previous = frozenset(self.marks.get(group.key, set()))
        marks = set(previous) ^ {photo_id}
        if marks:
            self.marks[group.key] = marks
        else:
            self.marks.pop(group.key, None)
        self.undo_stack.append(KeeperChanged(group.key, previous))
        return True

    # --- decisions ----------------------------------------------------------------------

    def bulk_plan(self) -> BulkPlan:
        """Groups shown whose suggestion every signal agrees on, and that nobody re-marked."""
        return BulkPlan(tuple(g for g in self.shown if g.confident and not self.marks.get(g.key)))

    def record_resolved(self, groups: Iterable[DuplicateGroup], resolution_ids: Iterable[int]) -> Resolved | None:
        """Groups resolved by one key press leave the review; one step undoes them all."""
        groups, ids = tuple(groups), tuple(i for i in resolution_ids if i is not None)
        marks = tuple((g.key, frozenset(self.marks[g.key])) for g in groups if self.marks.get(g.key))
        self._drop({g.key for g in groups})
        if not ids:
            return None
        step = Resolved(groups, ids, marks)
        self.undo_stack.append(step)
        return step

    def record_dismissed(self, group: DuplicateGroup, decision_id: int) -> Dismissed:
        self._drop({group.key})
        step = Dismissed(group, decision_id)
        self.undo_stack.append(step)
        return step

    def _drop(self, keys: set[str]) -> None:
        key = self.current.key if self.current else None
        index = self.index
        self.groups = [g for g in self.groups if g.key not in keys]
        for k in keys:
            self.marks.pop(k, None)
        if key in keys:  # the cursor goes to the group that took the decided one's place
            self.index = index
            key = None
        self._refilter(key)

    # --- undo ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    def pop_undo(self) -> Step | None:
        """The last step, off the stack. A keeper change is undone here; others need :func:`undo_step`."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        if isinstance(step, KeeperChanged):
            if step.previous:
                self.marks[step.group_key] = set(step.previous)
            else:
                self.marks.pop(step.group_key, None)
            self.select_key(step.group_key)
        return step

    def push_back(self, step: Step) -> None:
        """An undo that could not be done at all stays on the stack, to try again."""
        self.undo_stack.append(step)

    def restore(self, step: Step) -> None:
        """After :func:`undo_step`: the groups come back to the review, the cursor on the first."""
        groups = step.groups if isinstance(step, Resolved) else (step.group,) if isinstance(step, Dismissed) else ()
        known = {g.key for g in self.groups}
        self.groups.extend(g for g in groups if g.key not in known)
        if isinstance(step, Resolved):
            self.marks.update({key: set(ids) for key, ids in step.marks})
        self.groups.sort(key=lambda g: -g.savings)
        self._refilter(None)
        if groups:
            self.select_key(groups[0].key)


def undo_step(library: Library, step: Step) -> UndoOutcome:
    """Take back a step in the catalog and the files: resolutions last first, or a dismissal."""
    outcome = UndoOutcome(step)
    if isinstance(step, Resolved):
        for resolution_id in reversed(step.resolution_ids):
            try:
                outcome.undos.append(undo_resolution(library, resolution_id))
            except ResolveError as exc:
                outcome.errors.append(str(exc))
    elif isinstance(step, Dismissed):
        forget_decision(library, step.decision_id)
    return outcome
