"""One face crop, drawn from the shared crop cache (the review queue's two faces)."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from core.people import FaceRecord
from tui.widgets.people.face_crops import CropKey, FaceCrops


class FacePicture(Widget):
    """The crop of :attr:`face` at the widget's fixed ``cells``; a blank box until it is drawn."""

    DEFAULT_CSS = """
    FacePicture { background: $boost; color: $text-disabled; }
    """

    def __init__(self, crops: FaceCrops, cells: tuple[int, int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.crops = crops
        self.cells = cells
        self.face: FaceRecord | None = None
        self.styles.width, self.styles.height = cells

    @property
    def key(self) -> CropKey | None:
        return (self.face.id, *self.cells) if self.face is not None else None

    def show(self, face: FaceRecord | None) -> None:
        self.face = face
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.cells[0]
        key = self.key
        strips = self.crops.get(key) if key is not None else None
        if isinstance(strips, list) and y < len(strips):
            return strips[y]
        text = "no picture" if strips is None and key is not None else ""
        return Strip([Segment((text if y == self.cells[1] // 2 else "").center(width), self.rich_style)])
