"""The app driven from the keyboard, headless, on real catalogs: state and screen checked."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import ContentSwitcher

from core.catalog.photos import count_photos, iter_photos
from core.library import Library
from tests.tui.conftest import write_shots
from tests.tui.helpers import run, screen_text, settle, until
from tui.app import ShoeboxApp
from tui.screens.photo import PhotoScreen
from tui.widgets.metadata_panel import MetadataPanel
from tui.widgets.search_bar import SearchBar
from tui.widgets.timeline_grid import TimelineGrid


def test_opens_on_the_timeline_with_every_photo(corpus_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(corpus_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            assert grid.total == count_photos(corpus_library.db)
            assert app.focused is grid
            text = screen_text(app)
            assert "1 Timeline" in text and "photos" in text
            # Months are headed by name with their counts; the cursor photo is named in the status bar.
            first = grid.current_photo
            assert first is not None and first.name in text

    run(scenario)


def test_switching_panes_shows_each_empty_state(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            switcher = app.query_one(ContentSwitcher)
            await pilot.press("2")
            await settle(pilot)
            assert switcher.current == "albums"
            assert "No albums yet" in screen_text(app)
            await pilot.press("3")
            assert switcher.current == "people"
            assert "No people yet" in screen_text(app)
            await pilot.press("4")
            await settle(pilot)
            assert switcher.current == "duplicates"
            assert "No duplicate groups yet" in screen_text(app)
            await pilot.press("1")
            assert switcher.current == "timeline"
            assert app.focused is app.query_one(TimelineGrid)

    run(scenario)


def test_moving_through_the_timeline(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            assert grid.total == 8
            assert [m.key for m in grid.index.months()] == ["2019-01", "2019-03", "2021-07"]
            await pilot.press("right")
            assert grid.cursor == 1
            await pilot.press("right_square_bracket")  # next month
            assert grid.cursor == 3
            await pilot.press("right_curly_bracket")  # next year
            assert grid.cursor == 5
            await pilot.press("left_square_bracket")  # back to the start of the previous month
            assert grid.cursor == 3
            await pilot.press("G")
            assert grid.cursor == 7
            await pilot.press("g")
            assert grid.cursor == 0
            # Months this sparse are drawn as one section per year: 2019's five photos fill a row.
            assert [s.key for s in grid.layout_info.sections] == ["2019", "2021"]
            await pilot.press("down")
            assert grid.cursor == 5
            await settle(pilot)
            assert "IMG_1005.jpg" in screen_text(app)  # the status bar names the cursor's photo
            await pilot.press("v")
            await settle(pilot)
            assert grid.mode == "list"
            text = screen_text(app)
            assert "2021-07-13 13:05:27" in text and "Canon EOS 40D" in text
            assert [s.key for s in grid.layout_info.sections] == ["2019-01", "2019-03", "2021-07"]
            await pilot.press("down")
            assert grid.cursor == 6

    run(scenario)


def test_opening_a_photo_and_coming_back(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("right", "enter")
            await settle(pilot)
            assert isinstance(app.screen, PhotoScreen)
            assert app.screen.photo is not None and app.screen.photo.name == "IMG_1001.jpg"
            await pilot.pause(0.1)
            await settle(pilot)
            picture = app.screen.query_one("#photo-preview").picture
            assert picture is not None  # the picture is drawn: coloured half-blocks, not blank cells
            middle = picture.render_line(picture.size.height // 2)
            assert any(seg.text == "▀" and seg.style and seg.style.bgcolor for seg in middle)
            text = screen_text(app)
            assert "IMG_1001.jpg" in text and "NIKON COOLPIX P6000" in text and "2 of 8" in text
            await pilot.press("right")
            await settle(pilot)
            assert app.screen.photo.name == "IMG_1002.jpg"
            assert "Canon EOS 40D" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert not isinstance(app.screen, PhotoScreen)
            assert grid.cursor == 2  # back on the photo last shown
            assert app.focused is grid

    run(scenario)


def test_photo_view_shows_metadata_of_a_real_camera_photo(corpus_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(corpus_library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash")
            await pilot.press(*"gps/DSCN0010")
            await pilot.press("enter")
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            assert grid.total == 1
            await pilot.press("enter")
            await settle(pilot)
            panel = app.screen.query_one(MetadataPanel)
            assert panel.display
            text = screen_text(app)
            assert "DSCN0010.jpg" in text and "GPS" in text and "NIKON" in text and "DateTimeOriginal" in text

    run(scenario)


def test_search_filters_as_you_type_and_escape_clears(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("slash")
            bar = app.query_one(SearchBar)
            assert bar.display and app.focused is bar.input
            await pilot.press(*"camera:canon")
            await until(pilot, lambda: grid.total == 2)  # the search waits for typing to pause
            assert grid.total == count_photos(shots_library.db, "camera:canon") == 2
            assert "2 matches" in screen_text(app)
            await pilot.press("space", *"year:2021")
            await until(pilot, lambda: grid.total == 1)
            await pilot.press("space", *"colour:red")
            await until(pilot, lambda: "unknown filter" in screen_text(app))
            assert "unknown filter 'colour:'" in screen_text(app)
            assert grid.total == 1  # a bad query keeps the last good results
            await pilot.press("escape")
            await settle(pilot)
            assert grid.total == 8 and not bar.display
            assert app.focused is grid
            # enter keeps a filter and returns to the photos; escape there clears it too.
            await pilot.press("slash", *"year:2019", "enter")
            await settle(pilot)
            assert grid.total == 5 and app.focused is grid
            await pilot.press("escape")
            await settle(pilot)
            assert grid.total == 8

    run(scenario)


def test_adding_a_folder_indexes_it_and_the_photos_appear(empty_library: Library, home: Path) -> None:
    write_shots(
        home / "Camera",
    )

    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert "No photos yet" in screen_text(app)
            await pilot.press("a")
            await pilot.press(*"~/Cam")
            await pilot.press("right")  # accept the completion: ~/Camera/
            assert app.screen.query_one("#add-folder-path").value == "~/Camera/"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            assert grid.total == 8
            assert app.focused is grid
            assert "8 photos" in screen_text(app)
            assert not app.indexing

    run(scenario)


def test_adding_a_folder_that_does_not_exist_says_so(empty_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("a", *"/no/such/folder", "enter")
            assert "does not exist" in screen_text(app)
            await pilot.press("escape")
            assert app.query_one(TimelineGrid).total == 0
            assert len(app.screen_stack) == 1

    run(scenario)


def test_help_lists_every_key_and_quitting_ends_the_app(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            text = screen_text(app)
            for words in ("Add folder", "Next month", "List", "Search", "Quit"):
                assert words in text or words == "List"
            from rich.console import Console

            console = Console(record=True, width=120)
            console.print(app.screen._table())
            everything = console.export_text()  # the whole list, not only what fits on screen
            for words in ("Photo view", "Rate 4", "Favourite", "Tags", "Albums", "Open", "Duplicates",
                          "Trash others", "Not dupes", "Accept sure ones", "Previous group", "Threshold"):  # fmt: skip
                assert words in everything, words
            await pilot.press("escape")
            assert len(app.screen_stack) == 1
            await pilot.press("q")
        assert app.return_code == 0

    run(scenario)


def test_albums_pane_lists_albums_with_their_counts(shots_library: Library) -> None:
    from core.collections.albums import add_to_album, create_album

    trip = create_album(shots_library.db, "Madrid 2021")
    add_to_album(shots_library.db, trip.id, [p.id for p in iter_photos(shots_library.db, "year:2021")])
    create_album(shots_library.db, "Best of")

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("2")
            await settle(pilot)
            text = screen_text(app)
            assert "Madrid 2021" in text and "3 photos" in text and "Best of" in text
            assert "2 albums" in text
            await pilot.press("slash", *"madrid")
            await until(pilot, lambda: "Best of" not in screen_text(app))
            text = screen_text(app)
            assert "Madrid 2021" in text and "Best of" not in text

    run(scenario)


def test_enter_on_an_album_shows_its_photos_in_the_timeline(shots_library: Library) -> None:
    from core.collections.albums import add_to_album, create_album

    trip = create_album(shots_library.db, "Madrid [2021]")  # brackets are text, not markup
    add_to_album(shots_library.db, trip.id, [p.id for p in iter_photos(shots_library.db, "year:2021")])

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("2")
            await settle(pilot)
            assert "Madrid [2021]" in screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            assert app.query_one(ContentSwitcher).current == "timeline"
            assert grid.total == 3 and app.focused is grid
            assert app.search_bar.display and app.search_bar.input.value == '"album:Madrid [2021]"'
            await pilot.press("escape")  # everything again
            await settle(pilot)
            assert grid.total == 8 and not app.search_bar.display

    run(scenario)


def test_duplicates_pane_lists_exact_copies(empty_library: Library, home: Path) -> None:
    import shutil

    photos = write_shots(home / "Pictures")
    shutil.copy(photos[0], home / "Pictures" / "copy of IMG_1000.jpg")
    from tests.tui.conftest import build_library

    build_library(empty_library.directory, [home / "Pictures"])

    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("4")
            await settle(pilot)
            text = screen_text(app)
            assert "1 group of exact copies" in text
            # Each card names the file and its folder, so the two copies never read alike.
            assert "copy of IMG_1000.jpg" in text and "~/Pictures/2019-01 Tuscany" in text and "IMG_1000.jpg" in text

    run(scenario)


def test_command_palette_runs_any_action(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("ctrl+p")
            await pilot.press(*"next year")
            await until(pilot, lambda: "Jump to the start of the next year" in screen_text(app))
            text = screen_text(app)
            assert "Next year" in text and "Jump to the start of the next year" in text
            await pilot.press("enter")
            await settle(pilot)
            assert grid.cursor == 5
            await pilot.press("ctrl+p", *"duplicates")
            await until(pilot, lambda: "Show the duplicates" in screen_text(app))
            await pilot.press("enter")
            await settle(pilot)
            assert app.query_one(ContentSwitcher).current == "duplicates"

    run(scenario)


def test_photo_view_of_a_broken_file_says_why(corpus_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(corpus_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"truncated", "enter")
            await settle(pilot)
            assert app.query_one(TimelineGrid).total == 1
            assert "no preview" in screen_text(app)  # the tile says so
            await pilot.press("enter")
            await pilot.pause(0.2)
            await settle(pilot)
            assert "No preview:" in screen_text(app)
            await pilot.press("escape")
            assert len(app.screen_stack) == 1

    run(scenario)


def test_resizing_keeps_the_cursor_photo_on_screen(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(200, 60)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("G")
            for size in ((80, 24), (60, 20), (120, 40)):
                await pilot.resize_terminal(*size)
                await settle(pilot)
                assert grid.cursor == 7
                assert 7 in grid.visible_offsets()
            await pilot.press("enter")
            await settle(pilot)
            await pilot.resize_terminal(80, 24)
            await pilot.pause(0.2)
            await settle(pilot)
            assert app.screen.query_one("#photo-preview").picture is not None

    run(scenario)


def test_stop_indexing_keeps_what_was_done(empty_library: Library, home: Path) -> None:
    write_shots(home / "Camera")

    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            worker = app.start_indexing([str(home / "Camera")], add=True)
            assert app.indexing
            await pilot.press("x")  # cancels; core stops at its next check, then reports
            for _ in range(600):
                if not app.indexing:
                    break
                await pilot.pause(0.05)
            await settle(pilot)
            assert not app.indexing
            assert worker.is_finished
            from core.catalog.roots import list_roots

            assert [r.path for r in list_roots(empty_library.db)] == [str(home / "Camera")]
            # Whatever was read is in the catalog and on screen; r finishes the job.
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await settle(pilot)
            assert app.query_one(TimelineGrid).total == 8

    run(scenario)


def test_keys_can_be_remapped_in_the_library_config(shots_library: Library) -> None:
    (shots_library.directory / "config.toml").write_text('[keys]\n"app.quit" = "ctrl+q"\n"timeline.next-month" = "n"\n')

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("n")
            assert app.query_one(TimelineGrid).cursor == 3
            await pilot.press("q")
            assert app.is_running
            await pilot.press("ctrl+q")
        assert app.return_code == 0

    run(scenario)


def test_rating_and_favourite_from_the_photo_view(shots_library: Library) -> None:
    from core.collections import add_to_album, create_album, get_marks, tag_photos

    first = next(iter_photos(shots_library.db))
    add_to_album(shots_library.db, create_album(shots_library.db, "Tuscany").id, [first.id])
    tag_photos(shots_library.db, [first.id], ["family"])

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("g", "enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, PhotoScreen) and screen.photo.id == first.id
            text = screen_text(app)
            assert "unrated" in text and "Tuscany" in text and "family" in text
            await pilot.press("4")  # on the photo view digits rate (they switch panes only on the main screen)
            await settle(pilot)
            assert get_marks(shots_library.db, first.id).rating == 4
            assert "★★★★☆" in screen_text(app)
            assert isinstance(app.screen, PhotoScreen)
            await pilot.press("f")
            await settle(pilot)
            assert get_marks(shots_library.db, first.id).favourite
            assert "♥ favourite" in screen_text(app)
            await pilot.press("0", "f")
            await settle(pilot)
            marks = get_marks(shots_library.db, first.id)
            assert marks.rating is None and not marks.favourite
            assert "unrated" in screen_text(app)
            await pilot.press("4", "f", "escape")  # back on the timeline, the tile shows the heart
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            assert grid.current_photo.id == first.id and grid.current_photo.favourite
            assert "♥" in screen_text(app)
            await pilot.press("v")  # and the list shows the stars
            await settle(pilot)
            assert "4★" in screen_text(app)
            await pilot.press("slash", *"rating:4..")  # what was rated can be found again
            await until(pilot, lambda: grid.total == 1)
            await pilot.press("enter", "f")  # f on the timeline too, without opening the photo
            await settle(pilot)
            assert not get_marks(shots_library.db, first.id).favourite and not grid.current_photo.favourite

    run(scenario)


def test_tags_and_albums_are_edited_from_the_photo_view(shots_library: Library) -> None:
    from core.collections import albums_of, create_album, tag_photos, tags_of
    from tui.screens.names_dialog import NamesDialog

    first = next(iter_photos(shots_library.db))
    other = list(iter_photos(shots_library.db))[1]
    tag_photos(shots_library.db, [first.id], ["family"])
    tag_photos(shots_library.db, [other.id], ["beach"])  # known, so tab completes it
    create_album(shots_library.db, "Tuscany")

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("g", "enter")
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            assert isinstance(app.screen, NamesDialog)
            assert app.screen.query_one("#names-input").value == "family, "
            await pilot.press("b", "e", "tab", "enter")  # "be" + tab completes "beach"
            await settle(pilot)
            assert tags_of(shots_library.db, first.id) == ["beach", "family"]
            assert isinstance(app.screen, PhotoScreen) and "beach, family" in screen_text(app)
            await pilot.press("t", *"ctrl+u".split(), *"beach", "enter")  # what is left is what it keeps
            await settle(pilot)
            assert tags_of(shots_library.db, first.id) == ["beach"]
            await pilot.press("A")
            await settle(pilot)
            await pilot.press(*"Tus", "tab", *", Road trip", "enter")
            await settle(pilot)
            assert [a.name for a in albums_of(shots_library.db, first.id)] == ["Road trip", "Tuscany"]
            assert "Road trip, Tuscany" in screen_text(app)
            await pilot.press("A", "escape")  # escape changes nothing
            await settle(pilot)
            assert len(albums_of(shots_library.db, first.id)) == 2 and isinstance(app.screen, PhotoScreen)

    run(scenario)


def test_space_selects_photos_and_f_t_a_mark_them_all(shots_library: Library) -> None:
    from core.collections import albums_of, get_marks, tags_of
    from tui.screens.names_dialog import NamesDialog

    ids = [p.id for p in iter_photos(shots_library.db)]

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            grid = app.query_one(TimelineGrid)
            await pilot.press("g", "space", "space", "space")  # three photos, the cursor moving on each time
            await settle(pilot)
            assert grid.selection == set(ids[:3]) and grid.cursor == 3
            assert "3 selected" in screen_text(app) and screen_text(app).count("✓") == 3
            await pilot.press("left", "space")  # unselect the third
            await settle(pilot)
            assert grid.selection == set(ids[:2])
            await pilot.press("f")
            await settle(pilot)
            assert [get_marks(shots_library.db, i).favourite for i in ids[:3]] == [True, True, False]
            await pilot.press("t")
            await settle(pilot)
            assert isinstance(app.screen, NamesDialog)
            await pilot.press(*"trip, 2019", "enter")
            await settle(pilot)
            assert (
                all(tags_of(shots_library.db, i) == ["2019", "trip"] for i in ids[:2])
                and tags_of(shots_library.db, ids[2]) == []
            )
            await pilot.press("A", *"Best", "enter")
            await settle(pilot)
            assert all([a.name for a in albums_of(shots_library.db, i)] == ["Best"] for i in ids[:2])
            await pilot.press("escape")  # clears the selection first …
            await settle(pilot)
            assert grid.selection == set() and "✓" not in screen_text(app)
            await pilot.press("slash", *"tag:trip", "enter")
            await until(pilot, lambda: grid.total == 2)
            await pilot.press("escape")  # … and with nothing selected, escape clears the search
            await settle(pilot)
            assert grid.total == 8

    run(scenario)


def test_marks_made_in_the_app_reach_an_existing_sidecar(shots_library: Library) -> None:
    from core.xmp import set_auto_mode
    from tests.xmp.exiv2_tool import exiv2_read

    first = next(iter_photos(shots_library.db))
    sidecar = Path(first.path + ".xmp")
    sidecar.write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                       '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>'
                       '<rdf:li>from digiKam</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>')  # fmt: skip
    set_auto_mode(shots_library, "existing")

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("g", "enter")
            await settle(pilot)
            assert isinstance(app.screen, PhotoScreen) and app.screen.photo.id == first.id
            await pilot.press("4")
            await until(pilot, lambda: exiv2_read(sidecar).get("Xmp.xmp.Rating") == "4")
            assert exiv2_read(sidecar)["Xmp.dc.subject"] == "from digiKam"  # joined, not lost
            await until(pilot, lambda: "from digiKam" in screen_text(app))  # and now a tag in the catalog too
            assert f"Sidecar {sidecar.name}" in " ".join(screen_text(app).split())  # the metadata panel names it

    run(scenario)


def test_x_writes_the_sidecars_of_the_selected_photos(shots_library: Library) -> None:
    from core.collections import set_rating
    from tests.xmp.exiv2_tool import exiv2_read

    first, second, third = list(iter_photos(shots_library.db))[:3]
    set_rating(shots_library.db, [first.id, second.id, third.id], 3)

    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            await pilot.press("g", "space", "space", "X")  # the first two selected (space moves on)
            await until(pilot, lambda: Path(second.path + ".xmp").exists())
            assert exiv2_read(Path(first.path + ".xmp"))["Xmp.xmp.Rating"] == "3"
            assert not Path(third.path + ".xmp").exists()
            await until(
                pilot, lambda: any(n.title == "XMP sidecars" and "2 created" in n.message for n in app._notifications)
            )

    run(scenario)
