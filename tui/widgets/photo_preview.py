"""The photo view's picture: textual-image's widget for the chosen mode, or a message."""

from __future__ import annotations

from PIL import Image
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widget import Widget
from textual.widgets import Static

from tui.previews.halfcell import fit_size
from tui.previews.mode import PreviewMode


def image_widget_class(mode: PreviewMode) -> type[Widget]:
    """The picture widget for ``mode``: textual-image's for terminal graphics, Shoebox's half-blocks otherwise.

    textual-image is imported only in a graphics mode, where the launcher has already let it
    ask the terminal everything (see :func:`tui.previews.mode.ask_terminal_now`).
    """
    if mode is PreviewMode.HALFCELL:
        from tui.widgets.halfblock_picture import HalfblockPicture

        return HalfblockPicture
    from textual_image import widget as image_widgets

    return image_widgets.SixelImage if mode is PreviewMode.SIXEL else image_widgets.TGPImage


def cell_pixels(mode: PreviewMode) -> tuple[int, int]:
    """Pixels per terminal cell: real ones for graphics, 1×2 for half-blocks."""
    if mode is PreviewMode.HALFCELL:
        return 1, 2
    from textual_image._terminal import get_cell_size

    size = get_cell_size()
    return size.width, size.height


def fit_cells(image_size: tuple[int, int], area: tuple[int, int], mode: PreviewMode) -> tuple[int, int]:
    """How many cells (columns, rows) the picture takes inside ``area``, aspect kept."""
    per_x, per_y = cell_pixels(mode)
    width_px, height_px = fit_size(image_size[0], image_size[1], area[0] * per_x, area[1] * per_y)
    return max(1, min(area[0], round(width_px / per_x))), max(1, min(area[1], round(height_px / per_y)))


def scale_for_cells(image: Image.Image, cells: tuple[int, int], mode: PreviewMode) -> Image.Image:
    """``image`` resized to exactly what ``cells`` show (runs in a worker, not the UI thread)."""
    per_x, per_y = cell_pixels(mode)
    target = (max(1, cells[0] * per_x), max(1, cells[1] * per_y))
    return image.resize(target, Image.Resampling.LANCZOS if mode is not PreviewMode.HALFCELL else Image.Resampling.BOX)


class PhotoPreview(Middle):
    """Holds one picture (or a message) centred in the space it is given."""

    DEFAULT_CSS = """
    PhotoPreview {
        width: 1fr;
        height: 1fr;
        background: $background;
        & Center { height: auto; background: $background; }
        & .photo-preview--message { width: auto; color: $text-muted; }
    }
    """

    def __init__(self, mode: PreviewMode, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = mode
        self.picture: Widget | None = None

    def compose(self) -> ComposeResult:
        with Center():
            yield Static("", classes="photo-preview--message")

    @property
    def area(self) -> tuple[int, int]:
        """Cells available for the picture."""
        region = self.content_region
        return max(1, region.width), max(1, region.height)

    def show_message(self, text: str) -> None:
        self._remove_picture()
        message = self.query_one(".photo-preview--message", Static)
        message.update(text)
        message.display = True

    def show_image(self, image: Image.Image, cells: tuple[int, int]) -> None:
        """Show a picture already scaled for ``cells`` (see :func:`scale_for_cells`)."""
        self.query_one(".photo-preview--message", Static).display = False
        self._remove_picture()
        picture = image_widget_class(self.mode)(image, classes="photo-preview--picture")
        picture.styles.width = cells[0]
        picture.styles.height = cells[1]
        self.picture = picture
        self.query_one(Center).mount(picture)

    def _remove_picture(self) -> None:
        if self.picture is not None:
            self.picture.remove()
            self.picture = None
