"""The ``/`` search speaks the whole query language: OR and groups work, a bad query is a message in the bar."""

from __future__ import annotations

from rich.console import Console
from textual.widgets import Static

from core.catalog.photos import count_photos
from core.catalog.query import query_terms, search_hint
from core.library import Library
from tests.tui.helpers import run, screen_text, settle, until
from tui.app import ShoeboxApp
from tui.panes.timeline import TimelinePane
from tui.widgets.search_bar import SearchBar
from tui.widgets.timeline_grid import TimelineGrid


def test_or_groups_and_bad_queries_in_the_search_bar(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("slash")
            bar = app.query_one(SearchBar)
            error = bar.query_one("#search-error", Static)
            assert bar.input.placeholder == search_hint()
            good = "camera:canon OR -(year:2019)"
            bar.input.value = good
            expected = count_photos(shots_library.db, good)
            assert 0 < expected < 8
            await until(pilot, lambda: grid.total == expected)
            for bad, words in [("camera:canon OR", "character 16: expected a term after OR"),
                               ("(((year:2019", "character 3: this '(' is never closed"),
                               ('"camera:canon', "unbalanced quotes"),
                               ("date:2008-13-45", "is not a date"),
                               ("(" * 5000, "nest too deep"),
                               (" ".join(["x"] * 6000), "at most 5,000"),
                               ("a\0b", "NUL")]:  # fmt: skip
                bar.input.value = bad
                await until(pilot, lambda words=words: words in str(error.content))
                assert error.display and grid.total == expected, bad  # the last good results stay
            bar.input.value = "a" * 50_000  # longer than SQLite's LIKE pattern limit
            await until(pilot, lambda: grid.total == 0 and not error.display)
            bar.input.value = " OR ".join(["camera:canon", *(f"camera:none{n}" for n in range(2500))])
            await until(pilot, lambda: grid.total == count_photos(shots_library.db, "camera:canon"))
            assert not error.display
            assert app.is_running

    run(scenario)


def test_the_keys_screen_lists_the_search_language_from_the_registry(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            assert "Keys and search" in screen_text(app)
            console = Console(record=True, width=160)
            console.print(app.screen._search_table())
            everything = console.export_text()
            assert "Search (/)" in everything and "tag:beach OR tag:sea" in everything
            for term in query_terms():  # long value syntaxes fold inside their column
                assert f"{term.name}:" in everything and term.example in everything, term.name

    run(scenario)


def test_the_search_hint_is_built_from_registered_terms() -> None:
    hinted = [t for t in query_terms() if t.hint]
    assert hinted and TimelinePane.SEARCH_HINT == search_hint()
    assert all(t.example in search_hint() for t in hinted) and "OR" in search_hint()
