"""One person's faces, each as a crop: take out the ones that are not them.

``x`` says "not this person" (:func:`core.people.reject_face`) for the face under the cursor,
or for every face selected with ``space``; the face leaves the person and never joins it
again. ``u`` takes back the last correction. ``escape`` goes back to the people pane, which
reads the persons again.
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
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.library import Library
from core.people import FaceRecord, PersonSummary, get_person, list_faces, reject_face, set_avatar
from tui.formatting import plural
from tui.people_corrections import PeopleChanged, run_correction, run_undo
from tui.widgets.empty_state import EmptyState
from tui.widgets.people.face_crops import FaceCrops
from tui.widgets.people.face_grid import FaceGrid, FaceTile
from tui.widgets.people.labels import face_caption, person_label, photo_name
from tui.worker_errors import ReportsWorkerErrors


class PersonFacesScreen(ReportsWorkerErrors, Screen[bool]):
    """Every face of one person; dismisses with whether anything was changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="person-faces.back", tooltip="Back to the people"),
        Binding("x", "reject", "Not them", id="person-faces.reject", tooltip="This face (or every selected one) is not this person: take it out"),
        Binding("space", "toggle_select", "Select", id="person-faces.select", tooltip="Select or unselect this face (x then acts on every selected face)"),
        Binding("a", "avatar", "Use face", id="person-faces.avatar", tooltip="Show this person by this face in the people pane"),
        Binding("u", "undo", "Undo", id="person-faces.undo", tooltip="Take back the last correction of people"),
    ]  # fmt: skip

    @dataclass
    class _Loaded(Message):
        person: PersonSummary | None
        faces: list[FaceRecord]

    def __init__(self, library: Library, person: PersonSummary, crops: FaceCrops) -> None:
        super().__init__()
        self.library = library
        self.person: PersonSummary | None = person
        self.crops = crops
        self.faces: list[FaceRecord] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static("", id="person-faces-title")
        yield FaceGrid(self.crops, id="person-faces-grid")
        yield EmptyState("Reading faces…", id="person-faces-empty")
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        self.query_one(FaceGrid).focus()
        self._load()

    @property
    def grid(self) -> FaceGrid:
        return self.query_one(FaceGrid)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="person-faces", description="Reading a person's faces"
    )
    def _load(self) -> None:
        person_id = self.person.id if self.person is not None else -1
        self.post_message(
            self._Loaded(get_person(self.library.db, person_id), list_faces(self.library.db, person_id=person_id))
        )

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self.person, self.faces = message.person, message.faces
        self.grid.show_tiles([FaceTile(f.id, f, photo_name(f), face_caption(f)) for f in self.faces])
        self.grid.display = bool(self.faces)
        empty = self.query_one(EmptyState)
        empty.display = not self.faces
        empty.update(
            "No faces left", "Every face of this person was taken out. Press [b]u[/] to undo, [b]escape[/] to go back."
        )
        self._show_title()
        self.refresh_bindings()

    def _show_title(self) -> None:
        person = self.person
        title = Text(" ")
        if person is not None:
            title.append(person_label(person), style="bold")
            title.append(f"  {plural(len(self.faces), 'face')} in {plural(person.photos, 'photo')}", style="dim")
        else:
            title.append("This person is gone (merged or undone)", style="bold")
        selected = len(self.grid.selection) if self.is_mounted else 0
        if selected:
            title.append(f" · {selected} selected", style="bold")
        self.query_one("#person-faces-title", Static).update(title)

    # --- Actions ------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_toggle_select(self) -> None:
        self.grid.toggle_selected()
        self._show_title()

    def action_reject(self) -> None:
        chosen = [tile.key for tile in self.grid.chosen]
        if chosen and self.person is not None:
            self._correct(lambda: self._rejected(chosen), "Taking faces out of a person")

    def _rejected(self, face_ids: list[int]) -> str:
        for face_id in face_ids:
            reject_face(self.library.db, face_id)
        label = person_label(self.person) if self.person is not None else "this person"
        return f"{plural(len(face_ids), 'face')} taken out of {label}" + (
            " (u once for each)" if len(face_ids) > 1 else ""
        )

    def action_avatar(self) -> None:
        tile = self.grid.current
        if tile is not None:
            self._correct(lambda: self._avatar(tile.key), "Choosing a person's face")

    def _avatar(self, face_id: int) -> str:
        set_avatar(self.library.db, face_id)
        return "This face now shows the person"

    def action_undo(self) -> None:
        run_undo(self, self.library)

    def _correct(self, change: Callable[[], str], description: str) -> None:
        run_correction(self, change, description=description)

    @on(PeopleChanged)
    def _changed(self, message: PeopleChanged) -> None:
        message.stop()
        self.changed = True
        self.grid.selection.clear()
        self._load()

    @on(FaceGrid.Highlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reject", "toggle_select", "avatar"):
            return (self.person is not None and self.grid.current is not None) or None
        return True
