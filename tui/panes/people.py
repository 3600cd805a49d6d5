"""The people pane: every person as a face crop with a name and photo count; correct them by key.

Persons come from :func:`core.people.people_overview` (named first, then unnamed groups by
size) in a thread worker; crops are drawn by the grid's workers. Corrections — ``n`` name,
``m`` merge into another person, ``h`` hide, ``u`` undo — run on workers
(:mod:`tui.people_corrections`) and the list is read again when they are saved. ``enter``
shows the person's photos in the timeline (``person:#ID``), ``f`` their faces (take out the
wrong ones), ``v`` the review queue ("is this Alice?").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from core.people import (
    PeopleOverview,
    PersonSummary,
    hide_person,
    merge_persons,
    name_person,
    people_overview,
)
from tui.formatting import plural
from tui.panes.base import Pane
from tui.people_corrections import PeopleChanged, run_correction, run_undo
from tui.screens.names_dialog import NamesDialog
from tui.widgets.empty_state import EmptyState
from tui.widgets.people.face_crops import FaceCrops
from tui.widgets.people.face_grid import FaceGrid, FaceTile
from tui.widgets.people.labels import person_caption, person_label, person_name_from

EMPTY_TITLE = "No people yet"
EMPTY_BODY = (
    "Shoebox finds the faces in your photos and groups them into people: name a person once "
    "and find every photo of them here.\n\n"
    "Press [b]s[/] to look for faces in your photos (or run [b]shoebox people scan[/]; "
    "[b]shoebox people auto on[/] looks in new photos as they are indexed). It resumes where it stopped."
)


def people_phrase(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


class PeoplePane(Pane):
    """Persons as face crops; the keys act on the person under the cursor."""

    PANE_ID = "people"
    TITLE = "People"
    KEY = "3"
    SEARCH_HINT = "part of a person's name"

    #: With no person to show the pane itself has the keyboard, so s (find faces) works.
    can_focus = True

    DEFAULT_CSS = """
    PeoplePane {
        layout: vertical;
        & #people-heading { height: 1; padding: 0 1; background: $panel; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Photos", id="people.open", tooltip="Show this person's photos in the timeline"),
        Binding("n", "name", "Name", id="people.name", tooltip="Name this person (a name another person has merges them)"),
        Binding("f", "faces", "Faces", id="people.faces", tooltip="Every face of this person; x takes out those that are not them"),
        Binding("v", "review", "Review", id="people.review", tooltip="Is this face that person? Answer y or n, one key a face, least sure first"),
        Binding("m", "merge", "Merge into…", id="people.merge", tooltip="These are the same person as another one: choose which"),
        Binding("h", "hide", "Hide", id="people.hide", tooltip="Hide this person from the list, or show a hidden one again (u undoes)"),
        Binding("H", "toggle_hidden", "Hidden too", show=False, id="people.show-hidden", tooltip="List the hidden persons too (h on one shows it again), or not"),
        Binding("u", "undo", "Undo", id="people.undo", tooltip="Take back the last correction of people, one at a time"),
        Binding("s", "find_faces", "Find faces", id="people.find-faces", tooltip="Look for faces in the photos not scanned yet (x stops; it resumes later)"),
    ]  # fmt: skip

    class FindFaces(Message):
        """Look for faces in the photos not scanned yet (the app runs it like indexing)."""

    @dataclass
    class _Loaded(Message):
        overview: PeopleOverview

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.crops = FaceCrops()
        """Drawn face crops, shared with the screens this pane opens."""
        self.overview: PeopleOverview | None = None
        """What the last read found (None until it is read)."""
        self.show_hidden = False
        """Whether hidden persons are listed too (``H``)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="people-heading")
        yield FaceGrid(self.crops, id="people-grid")
        yield EmptyState("Reading people…", id="people-empty")

    def on_mount(self) -> None:
        self.query_one("#people-grid").display = False
        self.query_one("#people-heading").display = False
        self.reload()

    # --- Reading ------------------------------------------------------------------------

    def reload(self) -> None:
        self._load(self.show_hidden)

    @work(thread=True, exclusive=True, exit_on_error=False, group="people", description="Reading people")
    def _load(self, include_hidden: bool) -> None:
        self.post_message(self._Loaded(people_overview(self.library.db, include_hidden=include_hidden)))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self.overview = message.overview
        self._show()
        if self.app.focused in (None, self) and self.display:
            self.focus_content()  # the list arrived after the pane was shown

    @property
    def persons(self) -> list[PersonSummary]:
        """The persons listed now (after search)."""
        if self.overview is None:
            return []
        needle = self.search_text.strip().casefold()
        return [p for p in self.overview.persons if needle in person_label(p).casefold()]

    @property
    def current(self) -> PersonSummary | None:
        tile = self.query_one(FaceGrid).current
        return next((p for p in self.persons if tile is not None and p.id == tile.key), None)

    def search(self, text: str) -> str | None:
        self.search_text = text
        self._show()
        return None

    def _show(self) -> None:
        overview = self.overview
        if overview is None:
            return
        persons = self.persons
        grid = self.query_one(FaceGrid)
        grid.show_tiles(
            [FaceTile(p.id, overview.avatars.get(p.id), person_label(p), person_caption(p)) for p in persons]
        )
        grid.display = bool(persons)
        heading = self.query_one("#people-heading", Static)
        heading.display = bool(overview.persons)
        heading.update(self._heading(overview))
        empty = self.query_one("#people-empty", EmptyState)
        empty.display = not persons
        if overview.persons and not persons:
            empty.update(
                f"No person matches “{self.search_text}”", "Press [b]escape[/] in the search bar to see them all."
            )
        elif overview.faces:
            empty.update("No people grouped yet", f"{overview.faces:,} faces are found, but none of them are grouped into a "
                         "person yet: faces join a person once two of them look alike. Name a face from the photo "
                         "view ([b]p[/]) to start a person.")  # fmt: skip
        else:
            empty.update(EMPTY_TITLE, EMPTY_BODY)
        self.post_message(self.Summary(self, self._summary(overview)))
        self.refresh_bindings()

    @staticmethod
    def _heading(overview: PeopleOverview) -> Text:
        text = Text.assemble((people_phrase(len(overview.persons)), "bold"), f" · {len(overview.named()):,} named")
        if overview.to_review:
            text.append(f" · {plural(overview.to_review, 'face')} to review (v)")
        if overview.unassigned:
            text.append(f" · {plural(overview.unassigned, 'face')} in no one", style="dim")
        if overview.hidden:
            text.append(f" · {overview.hidden:,} hidden (H)", style="dim")
        return text

    @staticmethod
    def _summary(overview: PeopleOverview) -> str:
        if not overview.persons:
            return "No people" if not overview.faces else f"{overview.faces:,} faces, no people yet"
        return f"{people_phrase(len(overview.persons))}, {len(overview.named()):,} named"

    def focus_content(self) -> None:
        grid = self.query_one(FaceGrid)
        if grid.display:
            grid.focus()
        else:
            self.focus()

    # --- Actions ------------------------------------------------------------------------

    async def action_open(self) -> None:
        person = self.current
        if person is not None:
            await self.app.show_in_timeline(f"person:#{person.id}")  # type: ignore[attr-defined]

    def action_name(self) -> None:
        person = self.current
        if person is None or self.overview is None:
            return
        known = [p.name for p in self.overview.named() if p.id != person.id]
        title = f"Rename {person.name}" if person.name else f"Name this person ({person_caption(person)})"
        hint = "Tab completes a name you have used; an existing name merges the two."

        def chosen(names: list[str] | None) -> None:
            if names:
                name = person_name_from(names)
                self._correct(lambda: self._named(person, name), "Naming a person")

        self.app.push_screen(NamesDialog(title, [], known, hint), chosen)

    def _named(self, person: PersonSummary, name: str) -> str:
        """Name the person (worker thread); what the notification says."""
        survivor = name_person(self.library.db, person.id, name)
        return f"Named {name}" + (" (merged with the person already named so)" if survivor != person.id else "")

    def action_merge(self) -> None:
        from tui.screens.person_picker import PersonPicker

        person = self.current
        if person is None:
            return
        others = [p for p in (self.overview.persons if self.overview else []) if p.id != person.id]
        if not others:
            self.app.notify("There is no other person to merge with.", title="Merge")
            return

        def chosen(target_id: int | None) -> None:
            target = next((p for p in others if p.id == target_id), None)
            if target is not None:
                self._correct(lambda: self._merged(person, target), "Merging people")

        self.app.push_screen(PersonPicker(f"Merge {person_label(person)} into…", others), chosen)

    def action_hide(self) -> None:
        person = self.current
        if person is not None:
            self._correct(lambda: self._hidden(person, not person.hidden), "Hiding a person")

    def _merged(self, person: PersonSummary, target: PersonSummary) -> str:
        merge_persons(self.library.db, person.id, target.id)
        return f"Merged {person_label(person)} into {person_label(target)}"

    def _hidden(self, person: PersonSummary, hidden: bool) -> str:
        hide_person(self.library.db, person.id, hidden)
        if hidden:
            return f"Hidden {person_label(person)} (u undoes; H lists hidden persons)"
        return f"{person_label(person)} is listed again"

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.app.notify("Hidden persons are listed too (h shows one again)." if self.show_hidden
                        else "Hidden persons are left out.", title="People")  # fmt: skip
        self.reload()

    def action_find_faces(self) -> None:
        self.post_message(self.FindFaces())

    def action_undo(self) -> None:
        run_undo(self, self.library)

    def action_faces(self) -> None:
        from tui.screens.person_faces import PersonFacesScreen

        person = self.current
        if person is not None:
            self.app.push_screen(PersonFacesScreen(self.library, person, self.crops), lambda _changed: self.reload())

    def action_review(self) -> None:
        from tui.screens.face_review import FaceReviewScreen

        if self.overview is not None and not self.overview.to_review:
            self.app.notify("Nothing to review: every face of a named person is confirmed.", title="Review")
            return
        self.app.push_screen(FaceReviewScreen(self.library, self.crops), lambda _changed: self.reload())

    def _correct(self, change: Callable[[], str], description: str) -> None:
        run_correction(self, change, description=description)

    @on(FaceGrid.Highlighted, "#people-grid")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(PeopleChanged)
    def _changed(self, message: PeopleChanged) -> None:
        message.stop()
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "name", "merge", "hide", "faces", "review") and not self.persons:
            return False  # nobody to act on: the footer offers s (find faces) alone
        if action in ("open", "name", "merge", "hide", "faces"):
            return self.current is not None or None
        if action == "review":
            return bool(self.overview and self.overview.named()) or None
        return True
