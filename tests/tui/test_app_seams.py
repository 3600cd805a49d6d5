"""The seams that keep the app thin: panes registered in one tuple, nothing read on the UI thread."""

from __future__ import annotations

import threading

from rich.console import Console
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input

from core.library import Library
from tests.tui.helpers import run, settle, until
from tui.app import ShoeboxApp
from tui.jobs.indexing import IndexingRefused
from tui.panes import PANES
from tui.screens.help import HelpScreen
from tui.screens.names_dialog import NamesDialog
from tui.widgets.timeline_grid import TimelineGrid


def test_pane_keys_tabs_and_help_come_from_panes(shots_library: Library) -> None:
    switches = {b.id: b for b in Binding.make_bindings(ShoeboxApp.BINDINGS) if b.action.startswith("show_pane")}
    # The ids config.toml keymaps use, one per registered pane, in order.
    assert list(switches) == [f"app.pane-{pane.PANE_ID}" for pane in PANES]
    assert [b.key for b in switches.values()] == [pane.KEY for pane in PANES] == ["1", "2", "3", "4"]

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            assert [p.PANE_ID for p in app.panes] == [pane.PANE_ID for pane in PANES]
            for pane in (*PANES[1:], PANES[0]):
                await pilot.press(pane.KEY)
                await settle(pilot)
                assert type(app.current_pane) is pane and app.tabs.current == pane.PANE_ID
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            console = Console(record=True, width=160)
            console.print(app.screen._table())
            titles = [line.strip() for line in console.export_text().splitlines() if line and not line.startswith(" ")]
            expected = ["Everywhere", *(title for pane in PANES for title, owner in pane.help_sections()
                                         if any(b.description for b in Binding.make_bindings(owner.BINDINGS))),
                        "Search bar", "Add folder"]  # fmt: skip
            headings = [t for t in titles if t in expected]
            assert headings == expected

    run(scenario)


def test_names_dialog_opens_before_its_names_are_read_then_completes_from_them() -> None:
    names_read = threading.Event()
    release = threading.Event()

    def read_names() -> list[str]:  # a slow catalog: the names come when the test says
        release.wait(30)
        names_read.set()
        return ["beach", "family"]

    chosen: list[list[str] | None] = []
    dialog = NamesDialog("Tags", [], read_names, "tab completes")

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(dialog, chosen.append)

    async def scenario() -> None:
        app = Host()
        async with app.run_test() as pilot:
            await pilot.pause()
            assert app.screen is dialog and not dialog.known_loaded and dialog.known == []
            await pilot.press("b", "e")  # typed while the names are still being read
            assert dialog.query_one(Input).value == "be"
            release.set()
            await app.workers.wait_for_complete()
            await until(pilot, lambda: dialog.known_loaded)
            assert names_read.is_set() and dialog.known == ["beach", "family"]
            await pilot.press("tab", "enter")
        assert chosen == [["beach"]]

    run(scenario)


def test_tags_typed_right_after_t_reach_the_dialog(shots_library: Library) -> None:
    from core.catalog.photos import iter_photos
    from core.collections import tag_photos, tags_of

    first, other = list(iter_photos(shots_library.db))[:2]
    tag_photos(shots_library.db, [other.id], ["beach"])

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("g", "t", "b", "e")  # no waiting between t and the typing
            assert isinstance(app.screen, NamesDialog)
            await until(pilot, lambda: app.screen.known_loaded)
            await pilot.press("tab", "enter")
            await settle(pilot)
            assert tags_of(shots_library.db, first.id) == ["beach"]

    run(scenario)


def test_the_keymap_is_read_on_a_worker_and_applied_when_it_arrives(shots_library: Library) -> None:
    (shots_library.directory / "config.toml").write_text('[keys]\n"timeline.next-month" = "n"\n')
    seen: list[object] = []

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
            await settle(pilot)
            (loaded,) = [m for m in seen if isinstance(m, ShoeboxApp.KeymapLoaded)]
            assert loaded.keymap == {"timeline.next-month": "n"} and loaded.problem is None
            assert not any(w.name == "_read_keymap" and w.is_running for w in app.workers)
            await pilot.press("n")
            assert app.query_one(TimelineGrid).cursor == 3  # the remapped key works

    run(scenario)


def test_a_broken_keymap_is_reported_and_the_default_keys_stay(shots_library: Library) -> None:
    (shots_library.directory / "config.toml").write_text("[keys\n")

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert any(n.severity == "warning" and "config.toml" in n.message for n in app._notifications)
            await pilot.press("right_square_bracket")
            assert app.query_one(TimelineGrid).cursor == 3

    run(scenario)


def test_indexing_checks_the_catalog_on_its_worker_and_says_why_nothing_was_indexed(empty_library: Library) -> None:
    seen: list[object] = []

    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
            await settle(pilot)
            await pilot.press("r")  # no folders yet: the worker finds none
            await settle(pilot)
            assert not app.indexing
            assert any(isinstance(m, IndexingRefused) for m in seen)
            assert any("No folders yet" in n.message for n in app._notifications)
            await pilot.press("a", *"/dev", "enter")  # a system folder: refused by check_root on the worker
            await settle(pilot)
            assert not app.indexing and len(app.screen_stack) == 1
            assert any(n.title == "Not added" and "system folder" in n.message for n in app._notifications)

    run(scenario)


def test_a_search_drops_the_thumbnails_queued_for_the_screen_it_leaves(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            pane = app.timeline
            loader, grid = pane.loader, pane.grid
            photo = grid.current_photo
            assert photo is not None
            stale = (photo.sha256, 99, 99)  # a decode the screen being left still wants
            loader.set_on_screen([stale])
            assert loader.want_thumbnails([(stale, photo)])
            assert pane.search("camera:canon") is None
            # Dropped as the search starts, not when its results arrive: nothing left to decode,
            # and the old screen redrawing meanwhile cannot queue its thumbnails again.
            assert loader.next_thumbnail() is None and not loader.worker_ended()
            assert not loader.want_thumbnails([(stale, photo)]) and loader.next_thumbnail() is None
            assert pane.counting  # the count the user waits for is on its way …
            assert app._answer_pending()  # … so no full garbage collection now
            await until(pilot, lambda: not pane.counting)
            assert grid.index is not None and grid.index.query.text == "camera:canon" and grid.total == 2
            # The rows of the first screen came with the count: none is missing.
            assert loader.missing_pages(grid.visible_offsets()) == []

    run(scenario)
