"""The photo view's line of faces: who is in the photo shown, and naming one with ``p``.

It reads the photo's faces on its own worker when the photo changes and stays hidden
when there are none. :meth:`PhotoFaces.name_face` (the photo view's ``p``) asks which face
when there are several (their crops), then the name (the names dialog, tab completing the
names the library has), and assigns it (:func:`core.people.assign_face`) on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import Static

from core.library import Library
from core.people import FaceRecord, assign_face, list_faces, list_persons
from tui.people_corrections import PeopleChanged, run_correction
from tui.screens.names_dialog import NamesDialog
from tui.widgets.people.face_crops import FaceCrops
from tui.widgets.people.labels import face_name, person_name_from
from tui.worker_errors import ReportsWorkerErrors


def faces_line(faces: list[FaceRecord]) -> Text:
    """`` Faces: Alice, Unnamed, No one  ·  p names one`` (left to right in the photo)."""
    text = Text(" Faces: ", style="dim")
    for index, face in enumerate(sorted(faces, key=lambda f: (f.box.x, f.id))):
        if index:
            text.append(", ")
        text.append(face_name(face), style="bold" if face.person is not None else "")
    text.append("  ·  p names " + ("it" if len(faces) == 1 else "one"), style="dim")
    return text


class PhotoFaces(ReportsWorkerErrors, Static):
    """The faces of the photo :attr:`photo_id`, by name; hidden while there are none."""

    DEFAULT_CSS = """
    PhotoFaces { height: 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    @dataclass
    class _Loaded(Message):
        photo_id: int
        faces: list[FaceRecord]
        known: list[str]

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.library = library
        self.crops = FaceCrops(capacity=64)
        self.photo_id: int | None = None
        self.faces: list[FaceRecord] = []
        self.known: list[str] = []
        self.loaded = False

    def on_mount(self) -> None:
        self.display = False

    def show_photo(self, photo_id: int | None) -> None:
        """Read the faces of this photo (None: no photo) and show them when read."""
        self.photo_id, self.faces, self.loaded = photo_id, [], False
        self.display = False
        self.screen.refresh_bindings()
        if photo_id is not None:
            self._load(photo_id)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="photo-faces", description="Reading the photo's faces"
    )
    def _load(self, photo_id: int) -> None:
        db = self.library.db
        known = [p.name for p in list_persons(db, include_hidden=True) if p.name is not None]
        self.post_message(self._Loaded(photo_id, list_faces(db, photo_id=photo_id), known))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        if message.photo_id != self.photo_id:
            return
        self.faces, self.known, self.loaded = message.faces, message.known, True
        self.display = bool(self.faces)
        if self.faces:
            self.update(faces_line(self.faces))
        self.screen.refresh_bindings()  # p is offered only for a photo with faces

    # --- Naming -------------------------------------------------------------------------

    def name_face(self) -> None:
        """Ask which face (when several) and its name; assign it on a worker."""
        if not self.faces:
            return
        if len(self.faces) == 1:
            self._ask_name(self.faces[0])
            return
        from tui.screens.face_picker import FacePicker

        faces = sorted(self.faces, key=lambda f: (f.box.x, f.id))

        def picked(face_id: int | None) -> None:
            face = next((f for f in faces if f.id == face_id), None)
            if face is not None:
                self._ask_name(face)

        self.app.push_screen(FacePicker("Which face?", faces, self.crops), picked)

    def _ask_name(self, face: FaceRecord) -> None:
        title = f"Who is this? (now: {face_name(face)})"
        hint = "Tab completes a name you have used; a new name makes a new person."

        def chosen(names: list[str] | None) -> None:
            if names:
                name = person_name_from(names)
                run_correction(self, lambda: self._assign(face.id, name), description="Naming a face")

        self.app.push_screen(NamesDialog(title, [], self.known, hint), chosen)

    def _assign(self, face_id: int, name: str) -> str:
        assign_face(self.library.db, face_id, name)
        return f"This face is {name}"

    @on(PeopleChanged)
    def _changed(self, message: PeopleChanged) -> None:
        message.stop()
        if self.photo_id is not None:
            self._load(self.photo_id)
