"""Duplicates: find exact and near copies of a photograph, keep the best, trash the rest.

The API the CLI (``shoebox dupes``) and the TUI's duplicates pane are built on::

    groups = find_groups(library, threshold=None)      # list[DuplicateGroup], largest savings first
    group.photos / group.keeper / group.keeper_reason  # suggested keeper first, with the rule that chose it
    group.kind ("exact"|"near"), group.distance, group.links (PairLink: ids, distance, reason)
    resolution = resolve_group(library, group, keep_ids=None, dry_run=False)
    undo_resolution(library, resolution_id=None)       # the last one by default: files back, merge undone
    dismiss_group(library, group) -> decision id       # "not duplicates": never shown again
    forget_decision(library, decision_id)              # take a dismissal back
    list_dismissed(library) / undismiss(library, key_or_id)  # "not duplicates" listed, taken back
    ReviewSession(groups), undo_step(library, step)    # review cursor, marks, one undo stack (session.py)
    review(library, groups, reviewer)                  # a Reviewer protocol answers Keep/Skip/NotDuplicates/Stop
    describe_members(library, group)                   # per member: root, reason, annotations (albums, tags, rating, people…)
    differing_fields(members)                          # which fields to highlight side by side
    group.confident                                     # every keeper signal agrees: safe to accept in bulk
    choose_keeper(photos, parse_rules(names), KeeperContext(reference_root_ids, signals))  # KeeperChoice

``find_groups`` takes ``cancel`` (a ``threading.Event``; raises :class:`Cancelled`) and
``progress`` (called with :class:`FindProgress`) for a worker thread; it never prints.

How it works: exact copies share a sha256; near candidates are pairs within ``threshold``
bits (config ``[duplicates] threshold``, default 8) on phash or dhash, found with a
multi-index Hamming search (:mod:`~core.duplicates.hamming`; a million hashes in 10–20 s),
then verified — camera dates and models must not say "two captures" (bursts), and the
256-px thumbnails must line up pixel for pixel (:mod:`~core.duplicates.pixels`). Groups are
connected components of verified pairs. The keeper — the camera original by default — follows config
``[duplicates] keep`` (:mod:`~core.duplicates.keeper`, signals read from the members' headers
and thumbnails by :mod:`~core.duplicates.signals`). Resolving merges what the registered annotators
attach (albums, tags, marks, faces: :mod:`core.annotations`), date and GPS onto the keeper and moves the others to the trash (:mod:`core.trash`)
in one journaled step. Decisions are remembered per set of photos (:mod:`~core.duplicates.store`).
"""

from core.duplicates.details import COMPARED_FIELDS, MemberDetails, compared_fields, describe_members, differing_fields
from core.duplicates.finder import Cancelled, FindProgress, find_candidate_pairs, find_groups
from core.duplicates.hamming import SearchPlan, hex_to_uint64, near_pairs, plan_search, uint64_to_hex
from core.duplicates.keeper import (
    DEFAULT_RULES,
    KeeperChoice,
    KeeperContext,
    KeeperRule,
    KeeperRuleError,
    choose_keeper,
    parse_rules,
    suggest_keeper,
)  # fmt: skip
from core.duplicates.merge import MergeChange
from core.duplicates.records import DismissedGroup, DuplicateGroup, PairLink, Resolution
from core.duplicates.resolve import (
    ResolveError,
    Undo,
    dismiss_group,
    forget_decision,
    list_dismissed,
    resolve_group,
    undismiss,
    undo_resolution,
)  # fmt: skip
from core.duplicates.review import Keep, KeepSuggestions, NotDuplicates, Reviewer, ReviewOutcome, Skip, Stop, review
from core.duplicates.session import (
    BulkPlan,
    Dismissed,
    KeeperChanged,
    Resolved,
    ReviewSession,
    Step,
    UndoOutcome,
    undo_step,
)
from core.duplicates.settings import DEFAULT_THRESHOLD, DuplicateSettings
from core.duplicates.verify import Verdict

__all__ = [
    "Keep", "KeepSuggestions", "NotDuplicates", "ReviewOutcome", "Reviewer", "Skip", "Stop", "review",
    "BulkPlan", "Dismissed", "DismissedGroup", "KeeperChanged", "Resolved", "ReviewSession", "Step", "UndoOutcome",
    "list_dismissed", "undismiss", "undo_step",
    "COMPARED_FIELDS", "compared_fields", "DEFAULT_RULES", "DEFAULT_THRESHOLD", "Cancelled", "MemberDetails", "describe_members",
    "differing_fields", "DuplicateGroup", "DuplicateSettings", "FindProgress",
    "KeeperChoice", "KeeperContext", "KeeperRule", "choose_keeper", "KeeperRuleError", "MergeChange", "PairLink", "Resolution", "ResolveError",
    "SearchPlan", "Undo", "Verdict", "dismiss_group", "find_candidate_pairs", "find_groups", "forget_decision",
    "hex_to_uint64", "near_pairs", "parse_rules", "plan_search", "resolve_group", "suggest_keeper",
    "uint64_to_hex", "undo_resolution",
]  # fmt: skip


from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "MAX_THRESHOLD": "core.duplicates.settings",
    "save_threshold": "core.duplicates.settings",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
