"""The duplicates review pane driven from the keyboard on a real library with real copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.catalog.roots import add_root
from core.demo.pictures import landscape
from core.duplicates.settings import DuplicateSettings
from core.indexing.indexer import index_library
from core.library import Library
from tests.tui.helpers import run, screen_text, settle
from tui.app import ShoeboxApp
from tui.panes.duplicates import DuplicatesPane
from tui.widgets.duplicates.member_card import MemberCard
from tui.widgets.duplicates.threshold_dialog import ThresholdDialog


@pytest.fixture
def dupes_library(home: Path) -> Library:
    """Three photos, an exact copy of the first and a half-size copy of the second."""
    pictures = home / "Pictures"
    (pictures / "trip").mkdir(parents=True)
    (pictures / "backup").mkdir()
    for seed, name in enumerate(("sea.jpg", "hills.jpg", "alone.jpg")):
        landscape(320, 240, 500 + seed * 7, texture=False).save(pictures / "trip" / name, "JPEG", quality=90)
    shutil.copy2(pictures / "trip" / "sea.jpg", pictures / "backup" / "sea copy.jpg")
    landscape(320, 240, 507, texture=False).resize((160, 120)).save(
        pictures / "backup" / "hills small.jpg", "JPEG", quality=85
    )
    library = Library.open(home / "library")
    add_root(library.db, str(pictures))
    index_library(library, workers=1)
    yield library
    library.close()


def present(library: Library, path: Path) -> bool:
    return library.db.scalar("SELECT status FROM photos WHERE path = ?", (str(path),)) == "present"


async def open_pane(pilot) -> DuplicatesPane:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    pane = pilot.app.query_one(DuplicatesPane)
    await until(pilot, lambda: not pane.finding and (not pane.groups or pane.current_member is not None))
    return pane


async def until(pilot, condition) -> None:  # type: ignore[no-untyped-def]
    """Settle until ``condition()`` holds (a group's details arrive a message after its worker ends)."""
    for _ in range(100):
        await settle(pilot)
        if condition():
            return
    raise AssertionError("the duplicates pane never got there")


def test_groups_are_listed_largest_first_and_d_trashes_u_restores(dupes_library: Library, home: Path) -> None:
    copy = home / "Pictures" / "backup" / "sea copy.jpg"
    original = copy.read_bytes()

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await open_pane(pilot)
            groups = pane.groups
            assert {g.kind for g in groups} == {"exact", "near"}
            assert [g.savings for g in groups] == sorted((g.savings for g in groups), reverse=True)
            text = screen_text(app)
            assert "2 groups of duplicates (1 exact, 1 near)" in text and "KEEP" in text and "to trash" in text
            assert "Size" in text and "Pixels" in text
            # The near group (a half-size copy): its differing fields are marked.
            while pane.current_group.kind != "near":
                await pilot.press("j")
            await until(pilot, lambda: pane.current_member is not None)
            text = screen_text(app)
            assert "≠ Pixels" in text and "≠ Size" in text and "320×240" in text and "160×120" in text
            assert "★ keeps" in text and "Grouped because" in text
            # Go back to the exact group (k moves up, it never trashes) and keep its suggestion.
            while pane.current_group.kind != "exact":
                await pilot.press("k")
            group = pane.current_group
            trashed = [p for p in group.photos if p.id != group.keeper_id]
            await pilot.press("d")
            await settle(pilot)
            assert len(pane.groups) == 1 and group.key not in {g.key for g in pane.groups}
            for photo in trashed:
                assert not Path(photo.path).exists()
                assert not present(dupes_library, Path(photo.path))
            assert Path(group.keeper.path).exists()
            assert "1 group of near copies" in screen_text(app)
            await pilot.press("u")
            await settle(pilot)
            for photo in trashed:
                assert Path(photo.path).exists() and present(dupes_library, Path(photo.path))
            assert len(pane.groups) == 2

    run(scenario)
    assert copy.read_bytes() == original


def test_space_marks_another_keeper(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(80, 40)) as pilot:  # narrow: stacked layout
            pane = await open_pane(pilot)
            assert pane.has_class("-narrow")
            group = pane.current_group
            other = group.photos[1]
            assert pane.keep_ids(group) == {group.keeper_id}
            await pilot.press("tab")  # tab moves between copies, not widgets
            assert pane.current_member.photo.id == other.id
            await pilot.press("shift+tab")
            assert pane.current_member.photo.id == group.keeper_id
            await pilot.press("right")
            await pilot.press("space")
            assert pane.keep_ids(group) == {other.id}
            assert "KEEP (marked)" in screen_text(app)
            await pilot.press("d")
            await settle(pilot)
            assert Path(other.path).exists() and not Path(group.keeper.path).exists()
            assert "to the trash. Press u to undo" in " ".join(str(n.message) for n in app._notifications)
            assert not present(dupes_library, Path(group.keeper.path))

    run(scenario)


def test_not_duplicates_stays_dismissed_and_skip_moves_on(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await open_pane(pilot)
            first, second = pane.groups
            await pilot.press("s")
            assert pane.current_group.key == second.key
            await pilot.press("n")
            await settle(pilot)
            assert [g.key for g in pane.groups] == [first.key]
            pane.reload()
            await settle(pilot)
            assert [g.key for g in pane.groups] == [first.key]
            # Every file is still in place: dismissing never touches files.
            assert all(Path(p.path).exists() for p in second.photos)

    run(scenario)


def test_threshold_is_changed_in_a_dialog_and_groups_found_again(dupes_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await open_pane(pilot)
            await pilot.press("t")
            await pilot.pause()
            assert isinstance(app.screen, ThresholdDialog)
            await pilot.press("9", "9", "enter")  # the current value is selected: typing replaces it
            assert isinstance(app.screen, ThresholdDialog)  # out of range: asks again
            await pilot.press("ctrl+u", "0", "enter")
            await settle(pilot)
            assert pane.threshold == 0
            assert pane.groups and all(g.distance == 0 for g in pane.groups)
            assert "threshold 0 bits" in screen_text(app)
            assert (
                DuplicateSettings.load(dupes_library.directory).threshold == 0
            )  # kept for the next session and the CLI

    run(scenario)


def test_empty_library_explains_what_will_appear(empty_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            pane = await open_pane(pilot)
            text = screen_text(app)
            assert "No duplicate groups yet" in text
            assert "No duplicates found" in text
            await pilot.press("d")  # nothing to act on: the key does nothing, no crash
            await settle(pilot)
            assert not list(app.query(MemberCard))
            await pilot.press("u")  # nothing to undo: a message, and the pane still works
            await settle(pilot)
            assert not pane._busy
            await pilot.press("t")  # the threshold can still be changed
            await pilot.pause()
            assert isinstance(app.screen, ThresholdDialog)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ThresholdDialog)

    run(scenario)


def test_the_threshold_in_config_is_read_by_the_finding_worker(dupes_library: Library) -> None:
    from core.duplicates.settings import save_threshold

    save_threshold(dupes_library.directory, 3)

    async def scenario() -> None:
        app = ShoeboxApp(dupes_library)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await open_pane(pilot)
            assert pane.threshold == 3  # read off the UI thread, before the groups were found
            assert "threshold 3 bits" in screen_text(app)

    run(scenario)
