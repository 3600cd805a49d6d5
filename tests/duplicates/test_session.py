"""The review session: cursor, marks and one undo stack, on real groups from a real library."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.duplicates import (
    Dismissed,
    KeeperChanged,
    Resolved,
    ReviewSession,
    dismiss_group,
    find_groups,
    list_dismissed,
    resolve_group,
    undo_step,
)  # fmt: skip
from core.library import Library
from tests.duplicates.pictures import save, scene


@pytest.fixture
def three_groups(index, tmp_path: Path) -> Library:
    """Three groups of exact copies (different sizes, so the order is fixed)."""
    root = tmp_path / "photos"
    for n, size in enumerate((640, 480, 320)):
        save(scene(70 + n, size, size * 3 // 4), root / f"a/IMG_{n}.jpg")
        (root / "b").mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / f"a/IMG_{n}.jpg", root / f"b/IMG_{n}.jpg")
    return index(root)


def test_cursor_moves_between_groups_and_copies(three_groups: Library) -> None:
    session = ReviewSession(find_groups(three_groups))
    assert len(session.shown) == 3 and session.current is session.shown[0]
    session.move_group(-1)
    assert session.index == 0  # stops at the top
    session.move_member(1)
    assert session.member_index == 1
    session.move_group(1)
    assert session.index == 1 and session.member_index == 0  # a new group starts at its first copy
    session.move_group(5)
    assert session.index == 2
    session.skip()
    assert session.index == 0  # skip wraps
    session.move_member(-1)
    assert session.member_index == 1
    session.filter("IMG_2")
    assert [g.key for g in session.shown] == [session.groups[2].key] and session.index == 0


def test_keeper_change_is_one_undo_step(three_groups: Library) -> None:
    session = ReviewSession(find_groups(three_groups))
    group = session.current
    session.move_member(1)
    other = session.current_photo_id
    assert session.toggle_keeper()
    assert session.keep_ids(group) == {other}
    assert isinstance(session.undo_stack[-1], KeeperChanged)
    session.move_group(2)
    step = session.pop_undo()
    assert isinstance(step, KeeperChanged)
    assert session.keep_ids(group) == {group.keeper_id} and session.current.key == group.key
    assert not session.can_undo


def test_resolve_dismiss_and_bulk_undo_in_reverse_order(three_groups: Library) -> None:
    library = three_groups
    session = ReviewSession(find_groups(library))
    first, second, third = session.shown
    resolution = resolve_group(library, first)
    session.record_resolved([first], [resolution.id])
    assert session.current.key == second.key  # the next group takes its place
    session.record_dismissed(second, dismiss_group(library, second))
    assert [g.key for g in session.groups] == [third.key]
    assert [d.key for d in list_dismissed(library)] == [second.key]

    step = session.pop_undo()
    assert isinstance(step, Dismissed) and step.group.key == second.key
    undo_step(library, step)
    session.restore(step)
    assert list_dismissed(library) == [] and session.current.key == second.key

    step = session.pop_undo()
    assert isinstance(step, Resolved)
    outcome = undo_step(library, step)
    session.restore(step)
    assert outcome.restored == 1 and not outcome.failed
    assert all(Path(p.path).exists() for p in first.photos)
    assert [g.key for g in session.groups] == [first.key, second.key, third.key]
    assert session.pop_undo() is None


def test_bulk_plan_takes_confident_unmarked_groups_and_undoes_as_one(three_groups: Library) -> None:
    library = three_groups
    groups = find_groups(library)
    for group in groups:
        group.confident = True  # the keeper branch sets this; here every group is sure
    groups[2].confident = False
    session = ReviewSession(groups)
    session.move_member(1)
    session.toggle_keeper()  # a group someone re-marked is theirs to decide
    plan = session.bulk_plan()
    assert [g.key for g in plan.groups] == [groups[1].key]
    assert plan.files == 1 and plan.savings == groups[1].savings

    session = ReviewSession(groups)
    plan = session.bulk_plan()
    resolutions = [resolve_group(library, g) for g in plan.groups]
    session.record_resolved(plan.groups, [r.id for r in resolutions])
    assert [g.key for g in session.groups] == [groups[2].key] and len(session.undo_stack) == 1
    outcome = undo_step(library, session.pop_undo())
    assert outcome.restored == 2
    assert all(Path(p.path).exists() for g in groups for p in g.photos)
    assert len(find_groups(library)) == 3


def test_undoing_a_resolve_puts_the_marked_keeper_back(three_groups: Library) -> None:
    library = three_groups
    session = ReviewSession(find_groups(library))
    group = session.current
    session.move_member(1)
    session.toggle_keeper()
    chosen = session.keep_ids(group)
    resolution = resolve_group(library, group, chosen)
    session.record_resolved([group], [resolution.id])
    assert group.key not in session.marks
    step = session.pop_undo()
    undo_step(library, step)
    session.restore(step)
    assert session.current.key == group.key and session.keep_ids(group) == chosen
    assert isinstance(session.pop_undo(), KeeperChanged)  # then the mark itself
    assert session.keep_ids(group) == {group.keeper_id}
