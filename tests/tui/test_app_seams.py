"""The seams that keep the app thin: panes registered in one tuple, nothing read on the UI thread."""

from __future__ import annotations

from rich.console import Console
from textual.binding import Binding

from core.library import Library
from tests.tui.helpers import run, settle
from tui.app import ShoeboxApp
from tui.panes import PANES
from tui.screens.help import HelpScreen


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
