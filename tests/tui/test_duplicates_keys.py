"""Duplicates review keys (issue #10): moving never trashes, one undo for every decision, dismissals restore.

A real library of generated photos (one group of exact copies, one of a half-size copy),
driven from the keyboard with Pilot; files and the catalog are checked on disk.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import tui.panes.duplicates as duplicates_module
from core.duplicates import find_groups, list_dismissed, resolve_group
from core.library import Library
from core.trash import list_trash
from tests.tui.helpers import run, screen_text, settle
from tests.tui.test_duplicates_pane import dupes_library, open_pane, until  # noqa: F401 (fixture)
from tui.app import ShoeboxApp
from tui.widgets.duplicates.confirm_dialog import ConfirmDialog
from tui.widgets.duplicates.dismissed_dialog import DismissedDialog


def all_files(home: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((home / "Pictures").rglob("*.jpg"))}


def toasts(app: ShoeboxApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def go_to(pilot, pane, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Move (j/k only) to the group of ``kind``."""
    for key in ("j", "k"):
        for _ in range(len(pane.groups)):
            if pane.current_group.kind == kind:
                await until(pilot, lambda: pane.current_member is not None)
                return
            await pilot.press(key)
    raise AssertionError(f"no {kind} group")


def test_arrows_and_vim_keys_move_and_never_trash(dupes_library: Library, home: Path) -> None:
    before = all_files(home)

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            first, second = pane.groups
            await pilot.press("down")
            assert pane.current_group.key == second.key
            await pilot.press("up")
            assert pane.current_group.key == first.key
            await pilot.press("j")
            assert pane.current_group.key == second.key
            await pilot.press("j")  # the end: stays (a held key does not wrap around)
            assert pane.current_group.key == second.key
            await pilot.press("k")
            assert pane.current_group.key == first.key
            await until(pilot, lambda: pane.current_member is not None)
            keeper = pane.current_member.photo.id
            for key in ("right", "l", "left", "h"):
                await pilot.press(key)
            await pilot.press("l")
            assert pane.current_member.photo.id != keeper
            await pilot.press("h")
            assert pane.current_member.photo.id == keeper
            await pilot.press("pagedown", "pagedown", "pageup", "k", "k", "up", "down", "j", "k")
            await settle(pilot)
            assert len(pane.groups) == 2 and not pane.session.undo_stack

    run(scenario)
    assert all_files(home) == before
    assert list_trash(dupes_library) == []


def test_u_undoes_not_duplicates_and_never_an_earlier_sessions_group(dupes_library: Library, home: Path) -> None:
    exact = next(g for g in find_groups(dupes_library) if g.kind == "exact")
    resolve_group(dupes_library, exact)  # an earlier session's decision: u here must not touch it
    [earlier] = list_trash(dupes_library)

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            [near] = pane.groups
            await pilot.press("n")  # near copies: no question
            await settle(pilot)
            assert pane.groups == [] and [d.key for d in list_dismissed(dupes_library)] == [near.key]
            assert "u undoes it" in toasts(app)
            await pilot.press("u")
            await until(pilot, lambda: not pane.finding and len(pane.groups) == 1)
            assert pane.groups[0].key == near.key and list_dismissed(dupes_library) == []
            await pilot.press("u")  # nothing left in this review
            await settle(pilot)
            assert "Nothing to undo in this review" in toasts(app)

    run(scenario)
    assert [e.id for e in list_trash(dupes_library)] == [earlier.id]  # still in the trash
    assert not Path(earlier.original_path).exists()


def test_not_duplicates_on_exact_copies_asks_and_cancel_is_the_default(dupes_library: Library, home: Path) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            await go_to(pilot, pane, "exact")
            group = pane.current_group
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            assert "byte-for-byte identical" in screen_text(app)
            await pilot.press("enter")  # the focused button is Cancel
            await settle(pilot)
            assert not isinstance(app.screen, ConfirmDialog) and group.key in {g.key for g in pane.groups}
            assert list_dismissed(dupes_library) == []
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")
            await settle(pilot)
            assert group.key not in {g.key for g in pane.groups}
            assert [d.key for d in list_dismissed(dupes_library)] == [group.key]

    run(scenario)


def test_dismissed_groups_are_listed_and_restored_in_the_pane(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            await go_to(pilot, pane, "near")
            near = pane.current_group
            await pilot.press("n")
            await settle(pilot)
            assert near.key not in {g.key for g in pane.groups}
            await pilot.press("N")
            await until(pilot, lambda: isinstance(app.screen, DismissedDialog))
            text = screen_text(app)
            assert 'Marked "not duplicates"' in text and "hills small.jpg" in text
            await pilot.press("enter")
            await until(pilot, lambda: not pane.finding and near.key in {g.key for g in pane.groups})
            assert list_dismissed(dupes_library) == []
            await pilot.press("u")  # the dismissal was taken back already: nothing of it is left to undo
            await settle(pilot)
            assert near.key in {g.key for g in pane.groups}

    run(scenario)


def test_keeper_change_is_undone_by_u(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            group = pane.current_group
            await pilot.press("l", "space")
            other = pane.current_member.photo.id
            assert pane.keep_ids(group) == {other} and "KEEP (marked)" in screen_text(app)
            await pilot.press("u")
            await settle(pilot)
            assert pane.keep_ids(group) == {group.keeper_id}
            assert "KEEP (suggested)" in screen_text(app)

    run(scenario)


@pytest.fixture
def all_confident(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every group found counts as confident (the keeper's signals decide that; here the pane's part is tested)."""
    real = duplicates_module.find_groups

    def confident_groups(*args, **kwargs):  # type: ignore[no-untyped-def]
        groups = real(*args, **kwargs)
        for group in groups:
            group.confident = True
        return groups

    monkeypatch.setattr(duplicates_module, "find_groups", confident_groups)


def test_bulk_accept_asks_first_and_one_u_restores_every_group(
    dupes_library: Library, home: Path, all_confident: None
) -> None:
    before = all_files(home)

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            groups = pane.groups
            assert len(groups) == 2 and all(g.confident for g in groups)
            await pilot.press("A")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            text = screen_text(app)
            assert "Accept 2 groups" in text and "2 other copies" in text
            await pilot.press("escape")
            await settle(pilot)
            assert len(pane.groups) == 2 and list_trash(dupes_library) == []
            await pilot.press("A")
            await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
            await pilot.press("y")
            await until(pilot, lambda: not pane.busy and pane.groups == [])
            assert len(list_trash(dupes_library)) == 2
            assert "Resolved 2 groups" in toasts(app) and "u to undo them all" in toasts(app)
            for group in groups:
                assert Path(group.keeper.path).exists()
                assert not any(Path(p.path).exists() for p in group.others)
            await pilot.press("u")
            await until(pilot, lambda: not pane.busy and not pane.finding and len(pane.groups) == 2)
            assert list_trash(dupes_library) == []

    run(scenario)
    assert all_files(home) == before


def test_the_whole_review_fits_80x24(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            await go_to(pilot, pane, "exact")
            text = screen_text(app)
            # Both cards: the mark, the name, the folder and the size — the exact copies no longer read alike.
            assert "KEEP (suggested)" in text and "to trash" in text
            assert "sea.jpg" in text and "sea copy.jpg" in text
            assert "~/Pictures/trip" in text and "~/Pictures/backup" in text
            assert "★ keeps" in text and "d Trash others" in text
            assert "≠ Folder" in text  # what differs is the first row of the comparison
            await pilot.press("pagedown")
            await settle(pilot)
            assert "Rating" in screen_text(app)  # the rest of the comparison scrolls into view

    run(scenario)


def test_the_trash_key_is_remapped_by_its_binding_id(dupes_library: Library) -> None:
    (dupes_library.directory / "config.toml").write_text('[keys]\n"duplicates.keep" = "ctrl+t"\n')

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_pane(pilot)
            group = pane.current_group
            await pilot.press("d")  # no longer bound: nothing moves
            await settle(pilot)
            assert list_trash(dupes_library) == [] and group.key in {g.key for g in pane.groups}
            await pilot.press("ctrl+t")
            await until(pilot, lambda: not pane.busy and group.key not in {g.key for g in pane.groups})
            assert len(list_trash(dupes_library)) == len(group.others)

    run(scenario)
