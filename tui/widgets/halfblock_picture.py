"""The photo view's picture in coloured half-blocks, drawn by Shoebox itself.

textual-image's half-cell widget would do the same, but importing textual-image asks the
terminal about graphics; in tmux or over SSH (where half-blocks are used) that reply would
reach the app as key presses. This widget needs no terminal query at all.
"""

from __future__ import annotations

from PIL import Image
from textual.strip import Strip
from textual.widget import Widget

from tui.previews.halfcell import image_to_strips


class HalfblockPicture(Widget):
    """A picture already scaled to ``columns × 2·rows`` pixels, one ``▀`` per cell."""

    DEFAULT_CSS = """
    HalfblockPicture { width: auto; height: auto; }
    """

    def __init__(self, image: Image.Image, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.image = image
        self._strips: list[Strip] = []

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if len(self._strips) != height or (self._strips and self._strips[0].cell_length != width):
            self._strips = image_to_strips(self.image, max(1, width), max(1, height))  # once per size
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(width)
