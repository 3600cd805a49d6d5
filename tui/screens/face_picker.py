"""Choosing one face of a photo (to name it): its crops in a row, enter picks, escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from core.people import FaceRecord
from tui.widgets.people.face_crops import FaceCrops
from tui.widgets.people.face_grid import FaceGrid, FaceTile
from tui.widgets.people.labels import face_name


class FacePicker(ModalScreen[int | None]):
    """The faces given (left to right); dismisses with the chosen face's id (None: cancelled)."""

    DEFAULT_CSS = """
    FacePicker > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        padding: 0 1; border: round $accent; background: $surface;
        & > FaceGrid { height: 9; background: $surface; }
        & > .face-picker--hint { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Choose", id="face-picker.choose", tooltip="Name this face"),
        Binding("escape", "cancel", "Cancel", id="face-picker.cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, title: str, faces: list[FaceRecord], crops: FaceCrops) -> None:
        super().__init__()
        self.title_text = title
        self.faces = faces
        self.crops = crops

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield FaceGrid(self.crops, id="face-picker-grid")
            yield Label("←/→ choose · enter names it · escape cancels", classes="face-picker--hint")

    def on_mount(self) -> None:
        grid = self.query_one(FaceGrid)
        count = len(self.faces)
        grid.show_tiles([FaceTile(f.id, f, face_name(f), f"{i} of {count}") for i, f in enumerate(self.faces, 1)])
        grid.focus()

    def action_choose(self) -> None:
        tile = self.query_one(FaceGrid).current
        if tile is not None:
            self.dismiss(tile.key)

    def action_cancel(self) -> None:
        self.dismiss(None)
