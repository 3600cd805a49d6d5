"""A grid of face crops with a name and a caption under each: persons, or one person's faces.

Only the lines on screen are drawn (Textual's line API). A tile whose crop is not drawn
yet shows a placeholder and asks for it; a worker draws the wanted crops through the
shared :class:`~tui.widgets.people.face_crops.FaceCrops` and posts them back. The owner
binds what ``enter`` and other keys mean; the grid moves the cursor and keeps a selection.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from core.people import FaceRecord
from tui.formatting import ellipsize
from tui.widgets.people.face_crops import MISSING, CropKey, CropStrips, FaceCrops
from tui.worker_errors import ReportsWorkerErrors

#: A crop's size in cells (columns, rows): 12×6 cells are 12×12 half-block pixels, a square.
CROP_CELLS = (12, 6)
#: Crops drawn within this many seconds reach the screen together (fewer repaints).
CROPS_BATCH_SECONDS = 0.1
#: Beside a selected tile's caption.
SELECTED_GLYPH = "✓"


@dataclass(frozen=True, slots=True)
class FaceTile:
    """One tile: ``key`` (a person or face id) and the face whose crop it shows (None: no face)."""

    key: int
    face: FaceRecord | None
    title: str
    caption: str = ""


class FaceGrid(ReportsWorkerErrors, ScrollView, can_focus=True):
    """Tiles in rows as wide as the widget; arrow keys move, the owner acts on :attr:`current`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", show=False, id="faces.left", tooltip="The previous face"),
        Binding("right", "move(1)", "Next", show=False, id="faces.right", tooltip="The next face"),
        Binding("up,k", "move_rows(-1)", "Up", show=False, id="faces.up", tooltip="Up a row"),
        Binding("down,j", "move_rows(1)", "Down", show=False, id="faces.down", tooltip="Down a row"),
        Binding("home", "first", "First", show=False, id="faces.first", tooltip="The first face"),
        Binding("end", "last", "Last", show=False, id="faces.last", tooltip="The last face"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="faces.page-up", tooltip="Up a screen"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="faces.page-down", tooltip="Down a screen"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "face-grid--title", "face-grid--caption", "face-grid--cursor", "face-grid--marker", "face-grid--placeholder",
    }  # fmt: skip

    DEFAULT_CSS = """
    FaceGrid {
        height: 1fr;
        overflow-x: hidden;
        & > .face-grid--title { text-style: bold; }
        & > .face-grid--caption { color: $text-muted; }
        & > .face-grid--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
        & > .face-grid--marker { color: $accent; text-style: bold; }
        & > .face-grid--placeholder { background: $boost; color: $text-disabled; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)
    """Index of the tile under the cursor."""

    @dataclass
    class Highlighted(Message):
        """The cursor is on a new tile (None: the grid is empty)."""

        grid: FaceGrid
        tile: FaceTile | None

        @property
        def control(self) -> FaceGrid:
            return self.grid

    @dataclass
    class _CropsReady(Message):
        crops: dict[CropKey, CropStrips]
        done: list[CropKey] | None = None
        """In the worker's last message: every key it was given (one not drawn, when cancelled, is asked for again)."""

    def __init__(self, crops: FaceCrops, *, cells: tuple[int, int] = CROP_CELLS, id: str | None = None,
                 classes: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id, classes=classes)
        self.crops = crops
        self.cells = cells
        self.tiles: list[FaceTile] = []
        self.selection: set[int] = set()
        """Keys of the selected tiles."""
        self._wanted: dict[CropKey, FaceRecord] = {}
        self._in_flight: set[CropKey] = set()
        self._request_scheduled = False
        self._styles: dict[str, Style] = {}

    # --- Content ------------------------------------------------------------------------

    def show_tiles(self, tiles: Sequence[FaceTile]) -> None:
        """Show these tiles, keeping the cursor on the same key when it is still there."""
        before = self.current.key if self.current is not None else None
        self.tiles = list(tiles)
        keys = [tile.key for tile in self.tiles]
        self.selection &= set(keys)
        self._resize_virtual()
        target = keys.index(before) if before in keys else min(self.cursor, max(0, len(keys) - 1))
        self.set_reactive(FaceGrid.cursor, target)
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    @property
    def current(self) -> FaceTile | None:
        return self.tiles[self.cursor] if 0 <= self.cursor < len(self.tiles) else None

    @property
    def chosen(self) -> list[FaceTile]:
        """The selected tiles, else the one under the cursor."""
        picked = [tile for tile in self.tiles if tile.key in self.selection]
        return picked or ([self.current] if self.current is not None else [])

    @property
    def is_settled(self) -> bool:
        """Every crop on screen is drawn (none wanted or being drawn)."""
        return not (self._wanted or self._in_flight or self._request_scheduled)

    def toggle_selected(self) -> None:
        """Select or unselect the tile under the cursor, then move to the next one."""
        tile = self.current
        if tile is not None:
            self.selection.symmetric_difference_update({tile.key})
            self.refresh()
            self.action_move(1)

    # --- Geometry -----------------------------------------------------------------------

    @property
    def tile_width(self) -> int:
        return self.cells[0] + 2

    @property
    def row_height(self) -> int:
        return self.cells[1] + 3  # the crop, title, caption, a blank line

    @property
    def columns(self) -> int:
        width = self.scrollable_content_region.width or self.size.width
        return max(1, width // self.tile_width)

    def _resize_virtual(self) -> None:
        rows = -(-len(self.tiles) // self.columns)
        self.virtual_size = Size(self.scrollable_content_region.width or self.size.width, rows * self.row_height)

    def on_resize(self, event: events.Resize) -> None:
        self._resize_virtual()
        self._scroll_cursor_into_view()
        self.refresh()

    def _scroll_cursor_into_view(self) -> None:
        if not self.tiles:
            return
        top = (self.cursor // self.columns) * self.row_height
        height = max(1, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        if top < y:
            y = top
        elif top + self.row_height > y + height:
            y = top + self.row_height - height
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    # --- Drawing ------------------------------------------------------------------------

    def _style(self, component: str) -> Style:
        """A component's Rich style, computed once per style change (every tile line asks)."""
        style = self._styles.get(component)
        if style is None:
            style = self._styles[component] = self.get_component_rich_style(component)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        virtual_y = y + self.scroll_offset.y
        row, line = divmod(virtual_y, self.row_height)
        columns_count, rows = self.cells
        first = row * self.columns
        tiles = self.tiles[first : first + self.columns]
        if not tiles or line == rows + 2:
            return Strip.blank(width, base)
        segments: list[Segment] = []
        for index, tile in enumerate(tiles, start=first):
            here = index == self.cursor
            if line < rows:
                segments.append(Segment("▐", self._style("face-grid--marker")) if here else Segment(" ", base))
                segments.extend(self._crop_line(tile.face, line))
                segments.append(Segment(" ", base))
            elif line == rows:
                style = self._style("face-grid--cursor" if here else "face-grid--title")
                segments.append(Segment(" " + ellipsize(tile.title, columns_count).center(columns_count) + " ", style))
            else:
                mark = SELECTED_GLYPH if tile.key in self.selection else " "
                caption = ellipsize(tile.caption, columns_count - 1).center(columns_count - 1)
                segments += [Segment(mark, self._style("face-grid--marker")),
                             Segment(caption + "  ", self._style("face-grid--caption"))]  # fmt: skip
        return Strip(segments).crop_extend(0, width, base)

    def _crop_line(self, face: FaceRecord | None, line: int) -> list[Segment]:
        columns, rows = self.cells
        placeholder = self._style("face-grid--placeholder")
        if face is None:
            return [Segment(("no face" if line == rows // 2 else "").center(columns), placeholder)]
        key = (face.id, columns, rows)
        strips = self.crops.get(key)
        if strips is MISSING:
            self._want(key, face)
            return [Segment(" " * columns, placeholder)]
        if strips is None:
            return [Segment(("no picture" if line == rows // 2 else "").center(columns)[:columns], placeholder)]
        return list(strips[line])  # type: ignore[index]

    # --- Crops on demand ----------------------------------------------------------------

    def _want(self, key: CropKey, face: FaceRecord) -> None:
        if key not in self._in_flight:
            self._wanted[key] = face
            if not self._request_scheduled:
                self._request_scheduled = True
                self.call_after_refresh(self._request)

    def _request(self) -> None:
        self._request_scheduled = False
        wanted, self._wanted = self._wanted, {}
        if wanted:
            self._in_flight |= wanted.keys()
            self._draw(list(wanted.items()), self.background_colors[1].rgb)

    @work(thread=True, exclusive=False, exit_on_error=False, group="face-crops", description="Drawing faces")
    def _draw(self, wanted: list[tuple[CropKey, FaceRecord]], background: tuple[int, int, int]) -> None:
        worker = get_current_worker()
        drawn: dict[CropKey, CropStrips] = {}
        last_post = time.monotonic()
        for key, face in wanted:
            if worker.is_cancelled:
                break
            drawn[key] = self.crops.draw(face, key[1], key[2], background)
            if time.monotonic() - last_post >= CROPS_BATCH_SECONDS:  # tiles fill in as they are drawn
                self.post_message(self._CropsReady(drawn))
                drawn, last_post = {}, time.monotonic()
        self.post_message(self._CropsReady(drawn, done=[key for key, _ in wanted]))

    @on(_CropsReady)
    def _crops_ready(self, message: _CropsReady) -> None:
        self.crops.accept(message.crops)
        self._in_flight -= {*message.crops, *(message.done or ())}
        self.refresh()

    # --- Moving -------------------------------------------------------------------------

    def watch_cursor(self) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _move_to(self, index: int) -> None:
        if self.tiles:
            self.cursor = max(0, min(index, len(self.tiles) - 1))

    def action_move(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_move_rows(self, rows: int) -> None:
        self._move_to(self.cursor + rows * self.columns)

    def action_page(self, direction: int) -> None:
        screen_rows = max(1, self.scrollable_content_region.height // self.row_height)
        self.action_move_rows(direction * screen_rows)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.tiles) - 1)

    def on_click(self, event: events.Click) -> None:
        row = (event.y + self.scroll_offset.y) // self.row_height
        column = event.x // self.tile_width
        index = row * self.columns + column
        if column < self.columns and index < len(self.tiles):
            self._move_to(index)
