"""The people pane (issue #11): faces as crops, naming, merging, hiding, undo; a person's faces;
the review queue; naming a face from the photo view.

A real library of generated photos whose faces carry generated vectors, grouped by the
real clustering (tests/tui/people_library.py); every key is pressed through Pilot and
the result is read back from the catalog through core.people.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from core.library import Library
from core.people import get_face, get_person, list_faces, list_persons, name_person, suggestions
from tests.tui.helpers import run, screen_text, settle
from tests.tui.people_library import PeopleLibrary, people_library  # noqa: F401 (fixture)
from tui.app import ShoeboxApp
from tui.panes.people import PeoplePane
from tui.screens.face_picker import FacePicker
from tui.screens.face_review import FaceReviewScreen
from tui.screens.names_dialog import NamesDialog
from tui.screens.person_faces import PersonFacesScreen
from tui.screens.person_picker import PersonPicker
from tui.screens.photo import PhotoScreen
from tui.widgets.people.face_grid import FaceGrid
from tui.widgets.people.photo_faces import PhotoFaces


async def until(pilot, condition: Callable[[], object] = lambda: True) -> None:  # type: ignore[no-untyped-def]
    """Settle (workers done, every face crop on screen drawn) until ``condition()`` holds."""
    for _ in range(200):
        await settle(pilot)
        grids = list(pilot.app.screen.query(FaceGrid))
        if all(grid.is_settled for grid in grids) and condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the people screens never got there")


async def open_people(pilot) -> PeoplePane:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("3")
    pane = pilot.app.query_one(PeoplePane)
    await until(pilot, lambda: pane.overview is not None)
    return pane


@asynccontextmanager
async def people_pane(
    library: Library, person: int | None = None
) -> AsyncIterator[tuple[ShoeboxApp, Pilot, PeoplePane]]:
    """The app at 80×24 on the people pane, read and drawn (the cursor on ``person`` if given)."""
    app = ShoeboxApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_people(pilot)
        if person is not None:
            await go_to_person(pilot, pane, person)
        yield app, pilot, pane


async def type_name(pilot, name: str, *, complete: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Type ``name`` in the names dialog (then tab, taking the name it completes) and press enter."""
    await until(pilot, lambda: isinstance(pilot.app.screen, NamesDialog))
    await pilot.press(*name)
    if complete:
        field = pilot.app.screen.query_one("#names-input")
        await until(pilot, lambda: field._suggestion)
        await pilot.press("tab")
    await pilot.press("enter")
    await until(pilot)


def toasts(app: ShoeboxApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


def titles(pane: PeoplePane) -> list[str]:
    return [tile.title for tile in pane.query_one(FaceGrid).tiles]


async def go_to_person(pilot, pane: PeoplePane, person_id: int) -> None:  # type: ignore[no-untyped-def]
    grid = pane.query_one(FaceGrid)
    grid.cursor = [tile.key for tile in grid.tiles].index(person_id)
    await pilot.pause()


def test_persons_are_face_crops_named_first_then_by_size(people_library: PeopleLibrary) -> None:
    name_person(people_library.db, people_library.person_of("C"), "Carol")

    async def scenario() -> None:
        async with people_pane(people_library.library) as (app, pilot, pane):
            assert titles(pane) == ["Carol", "Unnamed", "Unnamed"]
            grid = pane.query_one(FaceGrid)
            assert [tile.caption for tile in grid.tiles] == ["2 photos", "4 photos", "4 photos"]
            for tile in grid.tiles:  # each tile's crop is drawn from its face box, not the whole photo
                strips = grid.crops.get((tile.face.id, *grid.cells))
                assert isinstance(strips, list) and len(strips) == grid.cells[1]
            text = screen_text(app)
            assert "Carol" in text and "4 photos" in text and "3 people · 1 named" in text

    run(scenario)


def test_empty_state_says_how_to_scan(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_people(pilot)
            text = screen_text(app)
            assert "No people yet" in text and "shoebox people scan" in text

    run(scenario)


def test_n_names_the_person_and_u_undoes_it(people_library: PeopleLibrary) -> None:
    person = people_library.person_of("A")

    async def scenario() -> None:
        async with people_pane(people_library.library, person) as (app, pilot, pane):
            await pilot.press("n")
            await type_name(pilot, "Alice")
            await until(pilot, lambda: "Alice" in titles(pane))
            assert get_person(people_library.db, person).name == "Alice"
            assert titles(pane)[0] == "Alice"  # named first
            assert "Named Alice" in toasts(app)
            await pilot.press("u")
            await until(pilot, lambda: "Alice" not in titles(pane))
            assert get_person(people_library.db, person).name is None
            assert f"Undone: name person {person} 'Alice'" in toasts(app)

    run(scenario)


def test_a_name_core_refuses_is_said_and_nothing_changes(people_library: PeopleLibrary) -> None:
    person = people_library.person_of("A")

    async def scenario() -> None:
        async with people_pane(people_library.library, person) as (app, pilot, pane):
            await pilot.press("n")
            await type_name(pilot, "#2")
            await until(pilot, lambda: "cannot start with #" in toasts(app))
            assert get_person(people_library.db, person).name is None and titles(pane)[0] == "Unnamed"

    run(scenario)


def test_naming_with_an_existing_name_merges(people_library: PeopleLibrary) -> None:
    carol = name_person(people_library.db, people_library.person_of("C"), "Carol")
    other = people_library.person_of("B")

    async def scenario() -> None:
        async with people_pane(people_library.library, other) as (app, pilot, pane):
            await pilot.press("n")
            await type_name(pilot, "car", complete=True)  # tab completes the name Carol
            await until(pilot, lambda: len(titles(pane)) == 2)
            assert get_person(people_library.db, other) is None
            assert get_person(people_library.db, carol).faces == 6

    run(scenario)


def test_m_merges_into_the_person_chosen(people_library: PeopleLibrary) -> None:
    source, target = people_library.person_of("C"), people_library.person_of("A")
    name_person(people_library.db, target, "Alice")

    async def scenario() -> None:
        async with people_pane(people_library.library, source) as (app, pilot, pane):
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, PersonPicker))
            assert [p.id for p in app.screen.persons] == [target, people_library.person_of("B")]  # not itself
            await pilot.press("enter")  # the first: Alice
            await until(pilot, lambda: len(titles(pane)) == 2)
            assert get_person(people_library.db, source) is None
            assert get_person(people_library.db, target).faces == 6
            assert "Merged Unnamed into Alice" in toasts(app)
            await pilot.press("u")
            await until(pilot, lambda: len(titles(pane)) == 3)
            assert get_person(people_library.db, source).faces == 2

    run(scenario)


def test_m_escape_merges_nothing(people_library: PeopleLibrary) -> None:
    async def scenario() -> None:
        async with people_pane(people_library.library) as (app, pilot, pane):
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, PersonPicker))
            await pilot.press("escape")
            await until(pilot)
            assert len(list_persons(people_library.db)) == 3 and len(titles(pane)) == 3

    run(scenario)


def test_h_hides_and_u_shows_again(people_library: PeopleLibrary) -> None:
    person = people_library.person_of("B")

    async def scenario() -> None:
        async with people_pane(people_library.library, person) as (app, pilot, pane):
            await pilot.press("h")
            await until(pilot, lambda: len(titles(pane)) == 2)
            assert get_person(people_library.db, person).hidden
            assert person not in [tile.key for tile in pane.query_one(FaceGrid).tiles]
            await pilot.press("u")
            await until(pilot, lambda: len(titles(pane)) == 3)
            assert not get_person(people_library.db, person).hidden
            assert "Undone: hide person" in toasts(app)
            await pilot.press("u")  # the log is empty now
            await until(pilot, lambda: "Nothing left to undo" in toasts(app))

    run(scenario)


def test_H_lists_hidden_persons_and_h_shows_one_again(people_library: PeopleLibrary) -> None:
    from core.people import hide_person

    person = people_library.person_of("C")
    hide_person(people_library.db, person)

    async def scenario() -> None:
        async with people_pane(people_library.library) as (app, pilot, pane):
            assert len(titles(pane)) == 2 and "1 hidden (H)" in screen_text(app)
            await pilot.press("H")
            await until(pilot, lambda: len(titles(pane)) == 3)
            await go_to_person(pilot, pane, person)
            assert pane.current.hidden and "hidden" in pane.query_one(FaceGrid).current.caption
            await pilot.press("h")
            await until(pilot, lambda: not pane.current.hidden)
            assert not get_person(people_library.db, person).hidden
            await pilot.press("H")
            await until(pilot, lambda: len(titles(pane)) == 3)  # none hidden now

    run(scenario)


def test_enter_shows_the_persons_photos_in_the_timeline(people_library: PeopleLibrary) -> None:
    person = people_library.person_of("A")

    async def scenario() -> None:
        async with people_pane(people_library.library, person) as (app, pilot, pane):
            await pilot.press("enter")
            await until(pilot, lambda: app.current_pane is app.timeline and app.timeline.grid.total == 4)
            assert app.timeline.search_text == f"person:#{person}"

    run(scenario)


def test_search_filters_persons_by_name(people_library: PeopleLibrary) -> None:
    name_person(people_library.db, people_library.person_of("A"), "Alice")
    name_person(people_library.db, people_library.person_of("B"), "Bob")

    async def scenario() -> None:
        async with people_pane(people_library.library) as (app, pilot, pane):
            await pilot.press("slash", *"ali")
            await until(pilot, lambda: titles(pane) == ["Alice"])

    run(scenario)


def test_faces_view_x_takes_one_face_out_and_space_selects_several(people_library: PeopleLibrary) -> None:
    person = people_library.person_of("A")
    first, second, third, group = people_library.faces["A"]

    async def scenario() -> None:
        async with people_pane(people_library.library, person) as (app, pilot, pane):
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, PersonFacesScreen) and app.screen.faces)
            view = app.screen
            assert [f.id for f in view.faces] == [first, second, third, group]
            await pilot.press("x")  # the face under the cursor
            await until(pilot, lambda: len(view.faces) == 3)
            assert get_face(people_library.db, first).person_id is None
            assert (
                people_library.db.scalar("SELECT person_id FROM face_rejections WHERE face_id = ?", (first,)) == person
            )
            await pilot.press("space", "space")  # selects two, moving on after each
            assert view.grid.selection == {second, third}
            await pilot.press("x")
            await until(pilot, lambda: len(view.faces) == 1)
            assert [f.id for f in list_faces(people_library.db, person_id=person)] == [group]
            await pilot.press("u")
            await until(pilot, lambda: len(view.faces) == 2)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.screen_stack[0]
                        and next(p for p in pane.overview.persons if p.id == person).faces == 2)  # fmt: skip

    run(scenario)


def test_review_queue_y_confirms_n_rejects_s_skips(people_library: PeopleLibrary) -> None:
    db = people_library.db
    name_person(db, people_library.person_of("A"), "Alice")
    asked = [s.face.id for s in suggestions(db)]
    assert len(asked) == 4

    async def scenario() -> None:
        app = ShoeboxApp(people_library.library)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_people(pilot)
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, FaceReviewScreen) and app.screen.is_settled)
            review = app.screen
            assert [item.suggestion.face.id for item in review.items] == asked  # least sure first
            assert review.current.avatar is not None and review.current.avatar.id != asked[0]
            assert "Is this Alice?" in screen_text(app)
            await pilot.press("y")
            assert review.current.suggestion.face.id == asked[1]  # the next one at once
            await pilot.press("n", "s")
            await until(pilot, lambda: review.is_settled)
            assert get_face(db, asked[0]).source == "manual"
            assert get_face(db, asked[1]).person_id is None
            assert get_face(db, asked[2]).source == "auto"  # skipped: asked again next time
            await pilot.press("u")  # takes back the "no": that face is asked again
            await until(pilot, lambda: review.current is not None and review.current.suggestion.face.id == asked[1])
            assert get_face(db, asked[1]).person_id is not None
            await pilot.press("y", "y")
            await until(pilot, lambda: review.current is None)
            assert "All done" in screen_text(app)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.screen_stack[0])

    run(scenario)


async def open_photo(pilot, app: ShoeboxApp, name: str) -> PhotoScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("slash", *f"path:{name}", "enter")
    await until(pilot, lambda: app.timeline.grid.total == 1)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, PhotoScreen) and app.screen.query_one(PhotoFaces).loaded)
    return app.screen


def test_photo_view_lists_faces_and_p_names_the_one_chosen(people_library: PeopleLibrary) -> None:
    db = people_library.db
    name_person(db, people_library.person_of("A"), "Alice")
    bob_face = people_library.faces["B"][-1]  # B's face in the photo of A and B

    async def scenario() -> None:
        app = ShoeboxApp(people_library.library)
        async with app.run_test(size=(100, 30)) as pilot:
            view = await open_photo(pilot, app, "ab.jpg")
            assert "Faces: Alice, Unnamed" in screen_text(app)
            await pilot.press("p")
            await until(pilot, lambda: isinstance(app.screen, FacePicker))
            await pilot.press("right", "enter")  # the second face, on the right
            await type_name(pilot, "Bob")
            await until(pilot, lambda: "Faces: Alice, Bob" in screen_text(app))
            face = get_face(db, bob_face)
            assert (face.person, face.source) == ("Bob", "manual")
            assert app.screen is view

    run(scenario)


def test_photo_view_p_on_one_face_asks_the_name_at_once(people_library: PeopleLibrary) -> None:
    face_id = people_library.faces["C"][0]

    async def scenario() -> None:
        app = ShoeboxApp(people_library.library)
        async with app.run_test(size=(100, 30)) as pilot:
            await open_photo(pilot, app, "c1.jpg")
            assert "Faces: Unnamed" in screen_text(app)
            await pilot.press("p")
            await type_name(pilot, "Carol")
            await until(pilot, lambda: "Faces: Carol" in screen_text(app))
            assert get_face(people_library.db, face_id).person == "Carol"

    run(scenario)


def test_photo_view_without_faces_has_no_faces_line(shots_library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(shots_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PhotoScreen) and app.screen.query_one(PhotoFaces).loaded)
            assert not app.screen.query_one(PhotoFaces).display
            assert "Name face" not in screen_text(app)  # p is not offered
            await pilot.press("p")
            await until(pilot)
            assert isinstance(app.screen, PhotoScreen)

    run(scenario)


def test_s_finds_the_faces_of_photos_not_scanned_yet(corpus, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The pane's s runs the faces stage in the indexing worker: progress, x to stop, a summary."""
    import shutil

    from core.catalog import add_root
    from core.indexing import index_library

    folder = tmp_path / "pics"
    folder.mkdir()
    for person, name in (("obama", "obama.jpg"), ("obama", "obama2.jpg"), ("biden", "biden.jpg")):
        shutil.copy(corpus / "faces" / person / name, folder / name)
    library = Library.open(tmp_path / "library")
    add_root(library.db, str(folder))
    index_library(library, workers=1)  # people auto is off: nothing scanned yet

    async def scenario() -> tuple[list[str], int]:
        app = ShoeboxApp(library)
        async with app.run_test(size=(80, 24)) as pilot:
            pane = await open_people(pilot)
            assert "Press s to look for faces" in screen_text(app)
            await pilot.press("s")
            await until(pilot, lambda: not app.indexing and any(n.title == "Finding faces" for n in app._notifications))
            await until(pilot, lambda: pane.overview is not None and pane.overview.faces == 3)
            return [n.message for n in app._notifications], len(pane.persons)

    messages, shown = run(scenario)
    assert any(m.startswith("Found 3 faces") for m in messages)
    assert library.db.scalar("SELECT count(*) FROM face_scans") == 3
    assert shown == 1  # the two photos of one man are one person; a single face waits for a second
    library.close()
