"""Reviewing groups one by one: the decision core needs from a person, as a small protocol.

A front end implements :class:`Reviewer` (the CLI's ``--resolve auto`` is
:class:`KeepSuggestions`); :func:`review` walks the groups and acts on each choice. The
TUI, which answers through key presses rather than a blocking call, calls
:func:`~core.duplicates.resolve.resolve_group` and friends directly instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from core.duplicates.records import DuplicateGroup, Resolution
from core.duplicates.resolve import dismiss_group, resolve_group
from core.library import Library


@dataclass(frozen=True, slots=True)
class Keep:
    """Keep these photos (``None``: the suggested keeper) and trash the rest."""

    photo_ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    """Decide later: the group shows again next time."""


@dataclass(frozen=True, slots=True)
class NotDuplicates:
    """Remember that these photos are not copies of one another."""


@dataclass(frozen=True, slots=True)
class Stop:
    """End the review here."""


Choice = Keep | Skip | NotDuplicates | Stop


class Reviewer(Protocol):
    def choose(self, group: DuplicateGroup) -> Choice: ...


class KeepSuggestions:
    """Keeps every suggested keeper (``shoebox dupes --resolve auto``, e.g. from cron)."""

    def choose(self, group: DuplicateGroup) -> Choice:
        return Keep()


@dataclass(slots=True)
class ReviewOutcome:
    resolutions: list[Resolution] = field(default_factory=list)
    dismissed: list[DuplicateGroup] = field(default_factory=list)
    skipped: list[DuplicateGroup] = field(default_factory=list)


def review(
    library: Library, groups: Iterable[DuplicateGroup], reviewer: Reviewer, *, dry_run: bool = False
) -> ReviewOutcome:
    """Ask ``reviewer`` about each group and do what it chose (nothing at all with ``dry_run``)."""
    outcome = ReviewOutcome()
    for group in groups:
        choice = reviewer.choose(group)
        if isinstance(choice, Stop):
            break
        if isinstance(choice, Keep):
            outcome.resolutions.append(resolve_group(library, group, choice.photo_ids, dry_run=dry_run))
        elif isinstance(choice, NotDuplicates):
            if not dry_run:
                dismiss_group(library, group)
            outcome.dismissed.append(group)
        else:
            outcome.skipped.append(group)
    return outcome
