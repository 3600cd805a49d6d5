"""The timeline: a virtual grid (or list) of every photo, grouped by month.

Only the lines on screen are drawn (Textual's line API). Each line asks the
:class:`~tui.widgets.timeline_loader.TimelineLoader` for the photos, thumbnails and backup
marks it shows; what is missing is fetched by workers that call the loader and only post
messages — a page of positions at a time, thumbnails newest-first and only while they are
still on screen. Nothing here reads the catalog or the config on the UI thread, and nothing
ever walks the whole library.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
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

from core.catalog import Period, Photo, TimelineIndex
from core.library import Library
from tui.formatting import (
    dimensions,
    ellipsize,
    human_size,
    left_ellipsize,
    period_title,
    plural,
    tidy_path,
    tile_label,
    when_text,
)  # fmt: skip
from tui.previews.thumbs import can_have_thumbnail
from tui.widgets.timeline_layout import LineInfo, TimelineLayout
from tui.widgets.timeline_loader import (
    DEFAULT_SCREENFUL,
    MISSING,
    PAGE_SIZE,
    LoadedPage,
    PagesRead,
    ThumbKey,
    ThumbStrips,
    TimelineLoader,
)  # fmt: skip
from tui.worker_errors import ReportsWorkerErrors

#: Thumbnail sizes in cells (columns, rows), smallest to largest; ``+``/``-`` step through them.
ZOOM_LEVELS: tuple[tuple[int, int], ...] = ((10, 5), (14, 7), (20, 10), (28, 14))
DEFAULT_ZOOM = 1
#: Drawn lines kept for repaints; beyond this, lines far from the screen are dropped.
LINE_CACHE_SIZE = 400
#: Thumbnails drawn within this many seconds reach the screen together (fewer repaints).
THUMBNAIL_BATCH_SECONDS = 0.05
#: Beside selected photos.
SELECTED_GLYPH = "✓"
#: Shown on favourites, in the grid and the list.
FAVOURITE_GLYPH = "♥"
#: Drawn after the caption of a photo whose original is safely in the backup bucket.
BACKED_UP_GLYPH = "☁"

MONTH_KEYS = Binding.Group("Month")
YEAR_KEYS = Binding.Group("Year")


class TimelineGrid(ReportsWorkerErrors, ScrollView, can_focus=True):
    """Every photo of a :class:`TimelineIndex`, as thumbnails or as a dense list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="timeline.open", tooltip="Open the photo under the cursor"),
        Binding("v", "toggle_view", "View", id="timeline.toggle-view", tooltip="Switch between thumbnails and a dense list"),
        Binding("left_square_bracket", "previous_month", "Previous month", group=MONTH_KEYS, id="timeline.previous-month", tooltip="Jump to the start of the previous month"),
        Binding("right_square_bracket", "next_month", "Next month", group=MONTH_KEYS, id="timeline.next-month", tooltip="Jump to the start of the next month"),
        Binding("left_curly_bracket", "previous_year", "Previous year", group=YEAR_KEYS, id="timeline.previous-year", tooltip="Jump to the start of the previous year"),
        Binding("right_curly_bracket", "next_year", "Next year", group=YEAR_KEYS, id="timeline.next-year", tooltip="Jump to the start of the next year"),
        Binding("g", "first", "First photo", show=False, id="timeline.first", tooltip="Go to the oldest photo"),
        Binding("G", "last", "Last photo", show=False, id="timeline.last", tooltip="Go to the newest (or undated) photo"),
        Binding("home", "first", "First photo", show=False, id="timeline.first-home", tooltip="Go to the oldest photo"),
        Binding("end", "last", "Last photo", show=False, id="timeline.last-end", tooltip="Go to the newest (or undated) photo"),
        Binding("up", "cursor_up", "Up", show=False, id="timeline.up", tooltip="Move up a row"),
        Binding("down", "cursor_down", "Down", show=False, id="timeline.down", tooltip="Move down a row"),
        Binding("left", "cursor_left", "Previous photo", show=False, id="timeline.left", tooltip="Move to the previous photo"),
        Binding("right", "cursor_right", "Next photo", show=False, id="timeline.right", tooltip="Move to the next photo"),
        Binding("k", "cursor_up", "Up", show=False, id="timeline.up-vi", tooltip="Move up a row"),
        Binding("j", "cursor_down", "Down", show=False, id="timeline.down-vi", tooltip="Move down a row"),
        Binding("h", "cursor_left", "Previous photo", show=False, id="timeline.left-vi", tooltip="Move to the previous photo"),
        Binding("l", "cursor_right", "Next photo", show=False, id="timeline.right-vi", tooltip="Move to the next photo"),
        Binding("pageup", "page_up", "Page up", show=False, id="timeline.page-up", tooltip="Move up a screen"),
        Binding("pagedown", "page_down", "Page down", show=False, id="timeline.page-down", tooltip="Move down a screen"),
        Binding("space", "toggle_select", "Select", show=False, id="timeline.select", tooltip="Select or unselect the photo under the cursor (f, t, A, X then act on the selection)"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="timeline.clear-selection", tooltip="Unselect every photo"),
        Binding("plus,equals_sign", "zoom_in", "Bigger thumbnails", show=False, id="timeline.zoom-in", tooltip="Show fewer, larger thumbnails"),
        Binding("minus", "zoom_out", "Smaller thumbnails", show=False, id="timeline.zoom-out", tooltip="Show more, smaller thumbnails"),
    ]  # fmt: skip

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline-grid--header",
        "timeline-grid--count",
        "timeline-grid--label",
        "timeline-grid--cursor",
        "timeline-grid--marker",
        "timeline-grid--placeholder",
        "timeline-grid--muted",
        "timeline-grid--backed-up",
        "timeline-grid--favourite",
    }

    DEFAULT_CSS = """
    TimelineGrid {
        height: 1fr;
        overflow-x: hidden;
        & > .timeline-grid--header { text-style: bold; color: $text-primary; }
        & > .timeline-grid--count { color: $text-muted; }
        & > .timeline-grid--label { color: $text-muted; }
        & > .timeline-grid--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
        & > .timeline-grid--marker { color: $accent; text-style: bold; }
        & > .timeline-grid--placeholder { background: $boost; color: $text-disabled; }
        & > .timeline-grid--muted { color: $text-muted; }
        & > .timeline-grid--backed-up { color: $success; }
        & > .timeline-grid--favourite { color: $error; }
    }
    """

    mode: reactive[str] = reactive("grid", init=False)
    """``grid`` (thumbnails) or ``list`` (one line per photo)."""
    zoom: reactive[int | None] = reactive(None, init=False)
    """Index into :data:`ZOOM_LEVELS` (None: chosen from the widget's height)."""
    cursor: reactive[int] = reactive(0, init=False, always_update=True)
    """Timeline position of the photo under the cursor."""

    @dataclass
    class Opened(Message):
        """The user asked to open the photo at ``offset``."""

        grid: TimelineGrid
        offset: int

        @property
        def control(self) -> TimelineGrid:
            return self.grid

    @dataclass
    class CursorMoved(Message):
        """The cursor is on a new photo (``photo`` is None until its row is loaded)."""

        grid: TimelineGrid
        offset: int
        photo: Photo | None

        @property
        def control(self) -> TimelineGrid:
            return self.grid

    @dataclass
    class SelectionChanged(Message):
        """Photos were selected or unselected."""

        grid: TimelineGrid
        count: int

        @property
        def control(self) -> TimelineGrid:
            return self.grid

    @dataclass
    class _PageLoaded(Message):
        loaded: LoadedPage

    @dataclass
    class _BackupMarks(Message):
        generation: int
        backed_up: frozenset[str]

    @dataclass
    class _ThumbnailsReady(Message):
        thumbnails: dict[ThumbKey, ThumbStrips]
        last: bool = False
        """The worker found the queue empty (or was cancelled) and ended."""

    def __init__(self, library: Library, *, loader: TimelineLoader | None = None, name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:  # fmt: skip
        super().__init__(name=name, id=id, classes=classes)
        self._library = library
        self._loader = loader if loader is not None else TimelineLoader(library)
        self._index: TimelineIndex | None = None
        self._months: list[Period] = []
        self._years: list[Period] = []
        self._layout: TimelineLayout | None = None
        self._pages_in_flight: set[int] = set()
        self._wanted_pages: dict[int, None] = {}
        self._wanted_thumbs: dict[ThumbKey, Photo] = {}
        self._request_scheduled = False
        self._styles: dict[str, Style] = {}
        self._lines: dict[int, Strip] = {}
        self._line_complete = True
        self.selection: set[int] = set()
        """Ids of the selected photos (kept across searches; ``escape`` clears them)."""

    # --- Public API -------------------------------------------------------------------

    @property
    def index(self) -> TimelineIndex | None:
        return self._index

    @property
    def total(self) -> int:
        return self._index.total if self._index else 0

    @property
    def layout_info(self) -> TimelineLayout | None:
        return self._layout

    @property
    def current_photo(self) -> Photo | None:
        """The photo under the cursor, when its row is loaded."""
        return self._loader.photo(self.cursor) if self.total else None

    @property
    def rows_settled(self) -> bool:
        """True when every row on screen has its photos (thumbnails may still be coming)."""
        return not (self._pages_in_flight or self._wanted_pages or self._request_scheduled)

    @property
    def is_settled(self) -> bool:
        """True when everything on screen is drawn (no rows or thumbnails still coming)."""
        return not (self._pages_in_flight or self._wanted_pages or self._wanted_thumbs or self._request_scheduled
                    or self._loader.thumbnails_pending)  # fmt: skip

    def visible_offsets(self) -> range:
        """Positions of the photos on screen now."""
        layout = self._layout
        if layout is None or not self.total:
            return range(0)
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        first = layout.offset_near_line(top, 0)
        last = layout.offset_near_line(top + height - 1, layout.columns - 1)
        return range(first, last + 1)

    def is_backed_up(self, photo: Photo) -> bool:
        """Whether the photo's content is uploaded to the library's backup target (loaded pages only)."""
        return self._loader.is_backed_up(photo)

    def refresh_backup_marks(self) -> None:
        """Look again (off the UI thread) at which photos on screen are backed up: a backup is running."""
        unmarked = self._loader.unmarked(self._loader.photo(offset) for offset in self.visible_offsets())
        if unmarked:
            self._load_backup_marks(self._loader.generation, unmarked)

    def photo_at(self, offset: int) -> Photo | None:
        """A cached photo (None when its page is not loaded)."""
        return self._loader.photo(offset)

    @property
    def screenful(self) -> int:
        """How many photos one screen shows, at most (what to read with a new count)."""
        layout = self._layout
        if layout is None:
            return DEFAULT_SCREENFUL
        height = max(1, self.scrollable_content_region.height or self.size.height)
        return layout.columns * (height // max(1, layout.row_height) + 2)

    def show_index(self, index: TimelineIndex, cursor: int | None = None, first_page: list[Photo] | None = None,
                   read: PagesRead | None = None) -> None:  # fmt: skip
        """Display a new timeline (after a search or re-index), keeping the cursor if asked.

        ``first_page``: the photos from position 0, when they were read with ``index``;
        ``read``: the pages around the cursor, read with it.
        """
        self._loader.show(index, first_page, read)
        self._index = index
        self._months, self._years = index.months(), index.years()
        self._pages_in_flight.clear()
        self._wanted_pages.clear()
        self._rebuild_layout()
        target = 0 if cursor is None else cursor
        self.cursor = max(0, min(target, max(0, index.total - 1)))
        if cursor is None:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_cursor_into_view()
        self.refresh()

    def go_to(self, offset: int, *, to_top: bool = False) -> None:
        """Move the cursor to ``offset``; ``to_top`` puts its section header at the top."""
        if not self.total or self._layout is None:
            return
        self.cursor = max(0, min(offset, self.total - 1))
        if to_top:
            section = self._layout.section_of(self.cursor)
            row = self._layout.position(self.cursor)[1]
            top = self._layout.tops[section] if row == 0 else self._layout.line_of(self.cursor)
            self.scroll_to(y=top, animate=False, immediate=True)
        self._scroll_cursor_into_view()

    # --- Layout -------------------------------------------------------------------------

    @property
    def _zoom_level(self) -> int:
        if self.zoom is not None:
            return self.zoom
        height = self.scrollable_content_region.height or self.size.height
        return 2 if height >= 44 else 0 if height < 14 else DEFAULT_ZOOM

    @property
    def _cell_size(self) -> tuple[int, int]:
        return ZOOM_LEVELS[self._zoom_level]

    @property
    def _tile_width(self) -> int:
        return self._cell_size[0] + 1

    def _rebuild_layout(self) -> None:
        self._lines.clear()
        if self._index is None:
            self._layout = None
            self.virtual_size = Size(0, 0)
            return
        width = max(1, self.scrollable_content_region.width or self.size.width)
        if self.mode == "list":
            columns, row_height = 1, 1
        else:
            columns, row_height = max(1, (width - 1) // self._tile_width), self._cell_size[1] + 1
        self._layout = TimelineLayout(self._sections_for(columns), columns, row_height)
        self.virtual_size = Size(width, self._layout.height)

    def _sections_for(self, columns: int) -> list[Period]:
        """Months, or years when months hold so few photos that rows would be mostly empty."""
        months = self._months
        if self.mode == "grid" and months and self.total / len(months) < columns / 2:
            return self._years
        return months

    def on_resize(self, event: events.Resize) -> None:
        shape = (self._layout.columns, self._layout.row_height) if self._layout else None
        self._rebuild_layout()
        if self._layout is not None and (self._layout.columns, self._layout.row_height) != shape:
            self._scroll_cursor_into_view()
        self.refresh()

    def watch_mode(self) -> None:
        self._rebuild_layout()
        self._scroll_cursor_into_view(center=True)
        self.refresh()

    def watch_zoom(self) -> None:
        self.watch_mode()

    def watch_cursor(self, old: int, new: int) -> None:
        self._forget_lines((old, new))
        self._schedule_requests()  # fetch ahead around the new position
        self.post_message(self.CursorMoved(self, new, self._loader.photo(new)))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        layout = self._layout
        if layout is None or not self.total:
            return
        top = layout.line_of(self.cursor)
        section, row, _ = layout.position(self.cursor)
        if row == 0:
            top = layout.tops[section]  # show the month's header with its first row
        bottom = layout.line_of(self.cursor) + layout.row_height
        height = max(1, self.scrollable_content_region.height)
        y = self.scroll_offset.y
        if center:
            y = top - (height - (bottom - top)) // 2
        elif top < y:
            y = top
        elif bottom > y + height:
            y = bottom - height
        self.scroll_to(y=max(0, y), animate=False, immediate=True)

    # --- Drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        virtual_y = y + self.scroll_offset.y
        cached = self._lines.get(virtual_y)
        if cached is not None and cached.cell_length == width:
            return cached
        base = self._style("")
        layout = self._layout
        info = layout.locate(virtual_y) if layout is not None else None
        if info is None:
            return Strip.blank(width, base)
        self._line_complete = True
        if info.row < 0:
            strip = self._header_line(info, width)
        elif self.mode == "list":
            strip = self._list_line(layout.row_offsets(info.section, info.row), width)  # type: ignore[union-attr]
        else:
            strip = self._tile_line(info, width)
        strip = strip.crop_extend(0, width, base)
        if self._line_complete:
            if len(self._lines) >= LINE_CACHE_SIZE:
                self._drop_far_lines(virtual_y)
            self._lines[virtual_y] = strip
        return strip

    def _drop_far_lines(self, near: int) -> None:
        """Keep only cached lines within a few screens of ``near`` (memory stays flat)."""
        reach = 2 * max(1, self.size.height)
        self._lines = {y: strip for y, strip in self._lines.items() if abs(y - near) <= reach}

    def _style(self, component: str) -> Style:
        """The widget's (``""``) or a component's Rich style, computed once per style change."""
        style = self._styles.get(component)
        if style is None:
            style = self.rich_style if not component else self.get_component_rich_style(component)
            self._styles[component] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._lines.clear()

    def _forget_lines(self, offsets: tuple[int, ...] = ()) -> None:
        """Drop cached lines: all of them, or those of the rows holding ``offsets``."""
        layout = self._layout
        if not offsets or layout is None:
            self._lines.clear()
            return
        for offset in offsets:
            if 0 <= offset < self.total:
                top = layout.line_of(offset)
                for y in range(top, top + layout.row_height):
                    self._lines.pop(y, None)
                self.refresh_lines(top, layout.row_height)

    def _header_line(self, info: LineInfo, width: int) -> Strip:
        if info.line != self._layout.header_height - 1:  # type: ignore[union-attr]
            return Strip.blank(width, self._style(""))
        period = self._layout.sections[info.section]  # type: ignore[union-attr]
        header = self._style("timeline-grid--header")
        muted = self._style("timeline-grid--count")
        return Strip(
            [Segment(" " + period_title(period.key), header), Segment("  " + plural(period.count, "photo"), muted)]
        )

    def _tile_line(self, info: LineInfo, width: int) -> Strip:
        layout = self._layout
        assert layout is not None
        columns, rows = self._cell_size
        base = self._style("")
        marker = self._style("timeline-grid--marker")
        segments: list[Segment] = []
        for offset in layout.row_offsets(info.section, info.row):
            photo = self._photo(offset)
            selected = offset == self.cursor
            if info.line < rows:
                segments.append(Segment("▐", marker) if selected else Segment(" ", base))
                segments.extend(self._thumbnail_line(photo, info.line, columns, rows))
            else:
                style = self._style("timeline-grid--cursor" if selected else "timeline-grid--label")
                chosen = photo is not None and photo.id in self.selection
                segments.append(Segment(SELECTED_GLYPH, marker) if chosen else Segment(" ", base))
                segments.extend(self._caption(photo, columns, style))
        return Strip(segments)

    def _caption(self, photo: Photo | None, columns: int, style: Style) -> list[Segment]:
        """A tile's caption: ``♥`` before it for a favourite, ``☁`` after it when backed up."""
        favourite = photo is not None and bool(photo.favourite) and columns >= 6
        backed_up = photo is not None and self.is_backed_up(photo) and columns >= 4
        if photo is None or not (favourite or backed_up):
            return [Segment((tile_label(photo, columns) if photo else "").center(columns), style)]
        label = tile_label(photo, columns - 2 * favourite - 2 * backed_up)
        text = ((FAVOURITE_GLYPH + " ") * favourite + label + (" " + BACKED_UP_GLYPH) * backed_up).center(columns)
        cursor = style is self._styles.get("timeline-grid--cursor")
        segments: list[Segment] = []
        if favourite:
            before, _, text = text.partition(FAVOURITE_GLYPH)
            segments += [
                Segment(before, style),
                Segment(FAVOURITE_GLYPH, style if cursor else self._style("timeline-grid--favourite")),
            ]
        if backed_up:
            before, _, text = text.rpartition(BACKED_UP_GLYPH)
            segments += [
                Segment(before, style),
                Segment(BACKED_UP_GLYPH, style if cursor else self._style("timeline-grid--backed-up")),
            ]
        return [*segments, Segment(text, style)]

    def _thumbnail_line(self, photo: Photo | None, line: int, columns: int, rows: int) -> list[Segment]:
        placeholder = self._style("timeline-grid--placeholder")
        if photo is None:
            return [Segment(" " * columns, placeholder)]
        key = (photo.sha256, columns, rows)
        strips = self._loader.thumbnail(key)
        if strips is MISSING:
            if can_have_thumbnail(photo):
                self._want_thumbnail(key, photo)
                self._line_complete = False
                return [Segment(" " * columns, placeholder)]
            strips = None
        if strips is not None:
            return list(strips[line])  # type: ignore[index]
        text = "▶ video" if photo.kind == "video" else "no preview"
        return [Segment((text if line == rows // 2 else "").center(columns)[:columns], placeholder)]

    def _list_line(self, offsets: range, width: int) -> Strip:
        offset = offsets.start
        photo = self._photo(offset)
        selected = offset == self.cursor
        style = self._style("timeline-grid--cursor") if selected else self._style("")
        muted = style if selected else self._style("timeline-grid--muted")
        if photo is None:
            return Strip([Segment("  …", muted)])
        chosen = SELECTED_GLYPH if photo.id in self.selection else " "
        fixed = f"{'▶' if selected else ' '}{chosen} " + list_columns(photo, width)
        glyph = Segment(
            BACKED_UP_GLYPH if self.is_backed_up(photo) else " ",
            style if selected else self._style("timeline-grid--backed-up"),
        )
        heart = Segment(
            FAVOURITE_GLYPH if photo.favourite else " ", style if selected else self._style("timeline-grid--favourite")
        )
        stars = f"{photo.rating}★" if photo.rating else "  "
        name = photo.name
        room = width - cell_len(fixed) - 6 - cell_len(name) - 3
        folder = "  " + left_ellipsize(tidy_path(photo.folder), room) if room >= 8 else ""
        return Strip([Segment(fixed, style), glyph, Segment(" ", style), heart, Segment(stars, style), Segment(" " + name, style),
                      Segment(folder, muted)]).crop_extend(0, width, style)  # fmt: skip

    # --- Data on demand -----------------------------------------------------------------

    def _photo(self, offset: int) -> Photo | None:
        photo = self._loader.photo(offset)
        if photo is None:
            self._line_complete = False
            self._wanted_pages[offset // PAGE_SIZE] = None
            self._schedule_requests()
        return photo

    def _want_thumbnail(self, key: ThumbKey, photo: Photo) -> None:
        self._wanted_thumbs[key] = photo
        self._schedule_requests()

    def _schedule_requests(self) -> None:
        if not self._request_scheduled:
            self._request_scheduled = True
            self.call_after_refresh(self._request_missing)

    def _request_missing(self) -> None:
        """Start workers for rows and thumbnails the last frame lacked (plus rows nearby)."""
        self._request_scheduled = False
        if self._index is None:
            return
        pages = self._pages_needed()
        if pages and not set(pages) <= self._pages_in_flight:
            self._pages_in_flight = set(pages)
            self._load_pages(self._loader.generation, self._index, pages)
        self._wanted_pages.clear()
        self._loader.set_on_screen(self._thumbnails_on_screen())  # cancels decodes for rows scrolled away
        wanted, self._wanted_thumbs = self._wanted_thumbs, {}
        if self._loader.want_thumbnails(wanted.items()):
            self._load_thumbnails(self.background_colors[1].rgb)

    def _thumbnails_on_screen(self) -> list[ThumbKey]:
        """Keys of the thumbnails the screen shows now (none in the list view)."""
        if self.mode == "list":
            return []
        columns, rows = self._cell_size
        photos = (self._loader.photo(offset) for offset in self.visible_offsets())
        return [(photo.sha256, columns, rows) for photo in photos if photo is not None]

    def _pages_needed(self) -> list[int]:
        """Missing pages: on screen first, then a screen around it, then where jumps land."""
        visible = self.visible_offsets()
        if not visible:
            return []
        first, last = visible.start, visible.stop - 1
        span = max(1, last - first + 1)
        step = PAGE_SIZE // 2
        on_screen = self._loader.missing_pages([*range(first, last + 1, step), last])
        nearby = self._loader.missing_pages(range(max(0, first - span), min(self.total, last + span), step))
        landing: list[int] = []
        for target in self._jump_targets():
            landing += self._loader.missing_pages(
                [*range(target, min(self.total, target + span), step), min(self.total - 1, target + span)]
            )
        ordered = dict.fromkeys([*self._wanted_pages, *on_screen, *nearby, *landing])
        return [page for page in ordered if page * PAGE_SIZE < self.total]

    def _jump_targets(self) -> list[int]:
        """Where ``[ ] { } g G`` would land from the cursor (their rows are fetched ahead)."""
        targets = [0, max(0, self.total - 1 - self._layout.columns * 4 if self._layout else 0)]
        for periods in (self._months, self._years):
            starts = [p.first_offset for p in periods]
            here = bisect.bisect_right(starts, self.cursor) - 1
            for index in (here - 1, here, here + 1):
                if 0 <= index < len(starts):
                    targets.append(starts[index])
        return targets

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline-pages", description="Loading timeline rows")
    def _load_pages(self, generation: int, index: TimelineIndex, pages: list[int]) -> None:
        worker = get_current_worker()
        for page in pages:
            if worker.is_cancelled:
                return
            loaded = self._loader.fetch_page(generation, index, page)
            if loaded is None:  # a new timeline is on screen: the rest is stale
                return
            self.post_message(self._PageLoaded(loaded))

    @work(thread=True, exclusive=True, exit_on_error=False, group="timeline-backup", description="Reading backup state")
    def _load_backup_marks(self, generation: int, sha256s: set[str]) -> None:
        uploaded = self._loader.fetch_backup_marks(sha256s, look_again=True)
        if uploaded:
            self.post_message(self._BackupMarks(generation, uploaded))

    @work(
        thread=True, exclusive=False, exit_on_error=False, group="timeline-thumbnails", description="Drawing thumbnails"
    )
    def _load_thumbnails(self, background: tuple[int, int, int]) -> None:
        """Drain the loader's queue newest-first; it skips photos scrolled off screen meanwhile."""
        worker = get_current_worker()
        ready: dict[ThumbKey, ThumbStrips] = {}
        last_post = time.monotonic()
        try:
            while not worker.is_cancelled and (item := self._loader.next_thumbnail()) is not None:
                key, photo = item
                ready[key] = self._loader.draw_thumbnail(key, photo, background)
                if time.monotonic() - last_post >= THUMBNAIL_BATCH_SECONDS:
                    self.post_message(self._ThumbnailsReady(ready))
                    ready, last_post = {}, time.monotonic()
        finally:
            self.post_message(self._ThumbnailsReady(ready, last=True))

    @on(_PageLoaded)
    def _page_loaded(self, message: _PageLoaded) -> None:
        loaded = message.loaded
        if not self._loader.accept_page(loaded):
            return
        self._pages_in_flight.discard(loaded.page)
        if loaded.page == self.cursor // PAGE_SIZE:
            self.post_message(self.CursorMoved(self, self.cursor, self._loader.photo(self.cursor)))
        self.refresh()

    @on(_BackupMarks)
    def _backup_marks_loaded(self, message: _BackupMarks) -> None:
        if not self._loader.accept_backup_marks(message.generation, message.backed_up):
            return
        self._lines.clear()
        self.refresh()

    @on(_ThumbnailsReady)
    def _thumbnails_ready(self, message: _ThumbnailsReady) -> None:
        self._loader.accept_thumbnails(message.thumbnails)
        if message.last and self._loader.worker_ended():  # decodes were queued after the worker's last look
            self._load_thumbnails(self.background_colors[1].rgb)
        self.refresh()

    # --- Mouse --------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        layout = self._layout
        if layout is None:
            return
        info = layout.locate(event.y + self.scroll_offset.y)
        if info is None or info.row < 0:
            return
        column = 0 if self.mode == "list" else min(event.x // self._tile_width, layout.columns - 1)
        offsets = layout.row_offsets(info.section, info.row)
        if column < len(offsets):
            self.cursor = offsets[column]
            if event.chain >= 2:
                self.action_open()

    # --- Actions ------------------------------------------------------------------------

    def _move_to(self, offset: int) -> None:
        if self.total:
            self.cursor = max(0, min(offset, self.total - 1))
            self._scroll_cursor_into_view()

    def action_open(self) -> None:
        if self.total:
            self.post_message(self.Opened(self, self.cursor))

    def action_toggle_select(self) -> None:
        """Select (or unselect) the photo under the cursor, then move on to the next one."""
        photo = self.current_photo
        if photo is None:
            return
        self.selection.symmetric_difference_update({photo.id})
        self._forget_lines((self.cursor,))
        self.post_message(self.SelectionChanged(self, len(self.selection)))
        self._move_to(self.cursor + 1)

    def action_clear_selection(self) -> None:
        self.selection.clear()
        self._forget_lines()
        self.refresh()
        self.post_message(self.SelectionChanged(self, 0))

    def action_toggle_view(self) -> None:
        self.mode = "list" if self.mode == "grid" else "grid"

    def action_cursor_left(self) -> None:
        self._move_to(self.cursor - 1)

    def action_cursor_right(self) -> None:
        self._move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        if self._layout:
            self._move_to(self._layout.move_rows(self.cursor, -1))

    def action_cursor_down(self) -> None:
        if self._layout:
            self._move_to(self._layout.move_rows(self.cursor, 1))

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        layout = self._layout
        if layout is None or not self.total:
            return
        height = max(1, self.scrollable_content_region.height)
        column = layout.position(self.cursor)[2]
        screen_line = layout.line_of(self.cursor) - self.scroll_offset.y
        self.scroll_to(y=max(0, self.scroll_offset.y + direction * height), animate=False, immediate=True)
        target = layout.offset_near_line(self.scroll_offset.y + max(0, screen_line), column)
        if target == self.cursor:
            target = layout.move_rows(self.cursor, direction)
        self._move_to(target)

    def action_first(self) -> None:
        self.go_to(0, to_top=True)

    def action_last(self) -> None:
        self._move_to(self.total - 1)

    def _jump(self, sections: list[Period], direction: int) -> None:
        """To the first photo of the next/previous period among ``sections`` (months or years)."""
        if not sections or not self.total:
            return
        starts = [s.first_offset for s in sections]
        here = bisect.bisect_right(starts, self.cursor) - 1
        if direction > 0:
            target = here + 1
        else:
            target = here - 1 if self.cursor == starts[here] else here
        target = max(0, min(target, len(sections) - 1))
        self.go_to(starts[target], to_top=True)

    def action_next_month(self) -> None:
        self._jump(self._months, 1)

    def action_previous_month(self) -> None:
        self._jump(self._months, -1)

    def action_next_year(self) -> None:
        self._jump(self._years, 1)

    def action_previous_year(self) -> None:
        self._jump(self._years, -1)

    def action_zoom_in(self) -> None:
        self.zoom = min(self._zoom_level + 1, len(ZOOM_LEVELS) - 1)

    def action_zoom_out(self) -> None:
        self.zoom = max(self._zoom_level - 1, 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("zoom_in", "zoom_out") and self.mode == "list":
            return None
        if action == "clear_selection":
            return bool(self.selection)  # otherwise escape goes on to clear the search
        return True


def list_columns(photo: Photo, width: int) -> str:
    """The list view's fixed columns, fewer on a narrow terminal so the file name keeps room.

    ≥ 110 columns: date, camera, pixels, size; ≥ 90: without pixels; narrower: a shorter
    camera too. The name and folder take what is left.
    """
    when, size = f"{when_text(photo):19}", f"{human_size(photo.size):>8}"
    if width >= 110:
        return f"{when}  {ellipsize(photo.camera or '—', 20):20}  {dimensions(photo):>11}  {size} "
    if width >= 90:
        return f"{when}  {ellipsize(photo.camera or '—', 20):20}  {size} "
    return f"{when}  {ellipsize(photo.camera or '—', 12):12}  {size} "
