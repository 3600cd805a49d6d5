"""The timeline pane: the date list beside the photo grid, search, and opening photos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.worker import Worker, WorkerState, get_current_worker

from core.catalog import (
    Photo,
    Query,
    QueryError,
    QueryStopped,
    TimelineIndex,
    parse_query,
    position_of,
    search_hint,
    timeline_index,
)
from core.collections import add_to_album, create_album, set_favourite, tag_photos
from core.library import Library
from core.xmp import failures, write_sidecars
from core.xmp import summary as sidecar_summary
from tui.formatting import period_title, plural
from tui.panes.base import HelpSection, Pane
from tui.previews.mode import PreviewMode
from tui.sidecars import keep_sidecars_in_step
from tui.widgets.date_tree import DateTree
from tui.widgets.empty_state import EmptyState
from tui.widgets.timeline_grid import TimelineGrid
from tui.widgets.timeline_loader import DEFAULT_SCREENFUL, EarlyCount, PagesRead, TimelineLoader

if TYPE_CHECKING:
    from tui.screens.photo import PhotoScreen

#: Below this width the date list starts hidden (``s`` shows it).
DATES_MIN_WIDTH = 110
#: The worker group counting the timeline (one at a time: a newer search cancels the older count).
COUNT_GROUP = "timeline-index"


def landing_offset(index: TimelineIndex, cursor: int | None, reset: bool, current: int) -> int:
    """Where the cursor lands on a new count: on the kept photo, else the top (a search) or where it was."""
    if cursor is not None:
        return cursor
    return 0 if reset else min(current, max(0, index.total - 1))


class TimelinePane(Pane):
    """Every photo by date, as thumbnails or a list."""

    PANE_ID = "timeline"
    TITLE = "Timeline"
    KEY = "1"
    SEARCH_HINT = search_hint()  # from the query-term registry, like ls --help and the ? screen

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "toggle_dates", "Dates", show=False, id="timeline.toggle-dates", tooltip="Show or hide the list of years, months and days"),
        Binding("f", "toggle_favourite", "Favourite", show=False, id="timeline.favourite", tooltip="Mark or unmark the selected photos (or the one under the cursor) as favourites"),
        Binding("t", "add_tags", "Tag", show=False, id="timeline.tag", tooltip="Add tags to the selected photos (or the one under the cursor)"),
        Binding("A", "add_to_albums", "Add to album", show=False, id="timeline.add-to-album", tooltip="Put the selected photos (or the one under the cursor) in albums"),
        Binding("X", "write_sidecars", "Write XMP sidecars", show=False, id="timeline.write-sidecars", tooltip="Write the rating, tags, caption and albums of the selected photos (or the one under the cursor) into XMP sidecars for other tools"),
    ]  # fmt: skip

    show_dates: reactive[bool | None] = reactive(None, init=False)
    """Whether the date list is shown (None: decide from the terminal width)."""

    @classmethod
    def help_sections(cls) -> list[HelpSection]:
        """The grid's keys, the pane's own (marking photos), and the photo view it opens."""
        from tui.screens.photo import PhotoScreen

        return [("Timeline", TimelineGrid), ("Timeline pane", cls), ("Photo view", PhotoScreen)]

    @classmethod
    def create(cls, library: Library, preview_mode: PreviewMode) -> TimelinePane:
        return cls(library, preview_mode)

    def __init__(self, library: Library, preview_mode: PreviewMode = PreviewMode.HALFCELL) -> None:
        super().__init__(library)
        self.preview_mode = preview_mode
        self.loader = TimelineLoader(library)
        self._early: EarlyCount | None = EarlyCount(library)  # counts while the app starts up
        self._counts_asked = 0
        self._counts_shown = 0

    @dataclass
    class _IndexLoaded(Message):
        index: TimelineIndex
        cursor: int | None
        reset: bool
        first_page: list[Photo] | None = None
        read: PagesRead | None = None
        """The pages around where the cursor lands, read with the count."""
        asked: int = 0

    @dataclass
    class _MarksSaved(Message):
        """A worker changed marks or sidecars: count again if ``reload``, and tell the user ``text`` if any."""

        reload: bool
        text: str | None = None
        title: str = ""
        severity: str = "information"

    def compose(self) -> ComposeResult:
        yield DateTree(id="timeline-dates")
        with Vertical(id="timeline-main"):
            yield TimelineGrid(self.library, loader=self.loader, id="timeline-grid")
            yield EmptyState("Loading the timeline…", id="timeline-empty")

    def on_mount(self) -> None:
        self.query_one("#timeline-grid").display = False
        early, self._early = self._early, None
        self._counts_asked += 1
        self._load(Query(), keep=None, reset=True, early=early, asked=self._counts_asked)

    def on_resize(self) -> None:
        if self.show_dates is None:
            self._apply_dates_visibility()

    @property
    def grid(self) -> TimelineGrid:
        return self.query_one("#timeline-grid", TimelineGrid)

    @property
    def index(self) -> TimelineIndex | None:
        return self.grid.index

    def focus_content(self) -> None:
        grid = self.grid
        if grid.display:
            grid.focus()
        else:
            self.app.set_focus(None)

    # --- Loading -----------------------------------------------------------------------

    def reload(self) -> None:
        """Count again (after indexing) keeping the cursor on the same photo."""
        self._count(self._current_query(), reset=False)

    def search(self, text: str) -> str | None:
        try:
            query = parse_query(text)
        except QueryError as exc:
            return str(exc)
        self.search_text = text
        self.loader.hold_thumbnails()  # thumbnails of the screen being left must not slow the results
        self._count(query, reset=True)
        return None

    def _count(self, query: Query, *, reset: bool) -> None:
        """Count ``query`` on a worker, with the rows of the screen the cursor will land on."""
        grid = self.grid
        self._counts_asked += 1
        self._load(
            query, keep=grid.current_photo, reset=reset, at=(grid.cursor, grid.screenful), asked=self._counts_asked
        )

    @property
    def counting(self) -> bool:
        """Whether the newest count asked for is still on its way (the user waits for it)."""
        return self._counts_shown < self._counts_asked

    @property
    def answer_pending(self) -> bool:
        """Whether the user waits for a count or for rows on screen (none while composing or closing)."""
        return self.counting or any(not grid.rows_settled for grid in self.query(TimelineGrid))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        super().on_worker_state_changed(event)
        if event.worker.group == COUNT_GROUP and event.state is WorkerState.ERROR:
            self._counts_shown = self._counts_asked  # reported as failed: nothing more is coming
            self.loader.release_thumbnails()

    def _current_query(self) -> Query:
        try:
            return parse_query(self.search_text)
        except QueryError:
            return Query()

    # --- Marking photos (the selection, or the photo under the cursor) --------------------

    def _chosen(self) -> tuple[list[int], bool]:
        """Ids to act on: the selection if any, else the photo under the cursor; and whether all are favourites."""
        grid = self.grid
        if grid.selection:
            return sorted(grid.selection), False
        photo = grid.current_photo
        return ([photo.id], bool(photo.favourite)) if photo is not None else ([], False)

    def action_toggle_favourite(self) -> None:
        ids, is_favourite = self._chosen()
        if ids:  # a selection always becomes favourites; one photo flips
            self._save_marks(ids, favourite=not is_favourite)

    def action_add_tags(self) -> None:
        self._ask_names("tags")

    def action_write_sidecars(self) -> None:
        ids, _ = self._chosen()
        if ids:
            self._write_sidecars(ids)

    @work(
        thread=True, exclusive=False, exit_on_error=False, group="timeline-sidecars", description="Writing XMP sidecars"
    )
    def _write_sidecars(self, ids: list[int]) -> None:
        results = write_sidecars(self.library, ids)
        problems = failures(results)
        text = sidecar_summary(results) + "".join(f"\n{line}" for line in problems[:3])
        # Counted again too: a sidecar changed elsewhere may have brought marks in.
        self.post_message(self._MarksSaved(True, text, "XMP sidecars", "warning" if problems else "information"))

    def action_add_to_albums(self) -> None:
        self._ask_names("albums")

    def _ask_names(self, kind: str) -> None:
        ids, _ = self._chosen()
        if not ids:
            return
        from tui.screens.names_dialog import NamesDialog, library_names

        # Opened at once (keys typed right after t/A reach it); it reads the names on a worker.
        what = "tags to add" if kind == "tags" else "albums to put them in"
        dialog = NamesDialog("Tags" if kind == "tags" else "Albums", [], library_names(self.library, kind),
                             f"{plural(len(ids), 'photo')}: {what}, comma-separated; tab completes.")  # fmt: skip

        def chosen(names: list[str] | None) -> None:
            if names:
                self._save_marks(ids, **{kind: names})

        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="timeline-marks", description="Saving marks")
    def _save_marks(self, ids: list[int], *, favourite: bool | None = None, tags: list[str] | None = None,
                    albums: list[str] | None = None) -> None:  # fmt: skip
        db = self.library.db
        if favourite is not None:
            set_favourite(db, ids, favourite)
        if tags:
            tag_photos(db, ids, tags)
        for name in albums or []:
            add_to_album(db, create_album(db, name).id, ids)
        self.post_message(self._MarksSaved(True))
        keep_sidecars_in_step(self.app, self.library, ids)
        if len(ids) > 1:
            done = (
                "favourites"
                if favourite
                else "not favourites"
                if favourite is not None
                else ", ".join(tags or albums or [])
            )
            self.post_message(self._MarksSaved(False, f"{plural(len(ids), 'photo')}: {done}", "Marked"))

    @on(_MarksSaved)
    def _marks_saved(self, message: _MarksSaved) -> None:
        if message.reload:
            self.reload()
        if message.text is not None:
            self.app.notify(message.text, title=message.title, severity=message.severity)  # type: ignore[arg-type]

    @work(thread=True, exclusive=True, exit_on_error=False, group=COUNT_GROUP, description="Counting photos per day")
    def _load(self, query: Query, keep: Photo | None, reset: bool, early: EarlyCount | None = None,
              at: tuple[int, int] = (0, DEFAULT_SCREENFUL), asked: int = 0) -> None:  # fmt: skip
        """Count ``query`` (keeping the cursor on ``keep``); ``at``: the cursor now and photos per screen.

        ``asked`` numbers the count, so the pane knows when the newest one is shown.
        """
        worker = get_current_worker()
        counted = early.take() if early is not None else None
        if counted is not None:
            self.post_message(self._IndexLoaded(counted[0], None, reset, counted[1], asked=asked))
            return
        try:
            with self.library.db.stop_when(worker.cancelled_event):  # a newer search stops this one's count
                index = timeline_index(self.library.db, query)
                cursor = position_of(self.library.db, index, keep) if keep is not None else None
                lands = landing_offset(index, cursor, reset, at[0])
                read = self.loader.read_around(index, lands, at[1]) if index.total else None
        except QueryStopped:
            return
        if not worker.is_cancelled:  # a newer search (typed meanwhile) replaced this one: drop it
            self.post_message(self._IndexLoaded(index, cursor, reset, read=read, asked=asked))

    @on(_IndexLoaded)
    def _index_loaded(self, message: _IndexLoaded) -> None:
        self._counts_shown = max(self._counts_shown, message.asked)
        index = message.index
        grid = self.grid
        had_focus = grid.has_focus or self.app.focused is None
        empty = self.query_one("#timeline-empty", EmptyState)
        cursor = message.cursor
        if cursor is None and not message.reset and grid.index is not None:
            cursor = min(grid.cursor, max(0, index.total - 1))
        grid.show_index(index, cursor, message.first_page, message.read)
        self.query_one(DateTree).show_index(index)
        grid.display = index.total > 0
        empty.display = index.total == 0
        if index.total == 0:
            if self.search_text:
                empty.update(
                    f"No photos match “{self.search_text}”",
                    "Change the search, or press [b]escape[/] in the search bar to clear it.",
                )
            else:
                empty.update(
                    "No photos yet",
                    "Press [b]a[/] to add a folder of photos: Shoebox indexes it in place (your files are never moved or changed).\n"
                    "Or run [b]shoebox add DIR[/] from a shell, then come back.",
                )
        elif had_focus and self.display:
            grid.focus()
        self._apply_dates_visibility()
        self.post_message(self.Summary(self, self._summary(index)))

    def _summary(self, index: TimelineIndex) -> str:
        dated = [d for d in index.years() if d.key.isdigit()]
        span = ""
        if dated:
            first, last = dated[0].key, dated[-1].key
            span = f" · {first}" if first == last else f" · {first}–{last}"
        text = plural(index.total, "photo") + span
        if self.search_text:
            text = f"{plural(index.total, 'match')} for “{self.search_text}”"
        return text

    # --- Dates list --------------------------------------------------------------------

    def action_toggle_dates(self) -> None:
        tree = self.query_one(DateTree)
        self.show_dates = not tree.display

    def watch_show_dates(self) -> None:
        self._apply_dates_visibility()

    def _apply_dates_visibility(self) -> None:
        tree = self.query_one(DateTree)
        wanted = self.show_dates if self.show_dates is not None else self.size.width >= DATES_MIN_WIDTH
        tree.display = bool(wanted) and self.grid.total > 0

    @on(DateTree.Jump)
    def _jump(self, message: DateTree.Jump) -> None:
        self.grid.go_to(message.offset, to_top=True)
        self.grid.focus()

    # --- Cursor and opening ------------------------------------------------------------

    @on(TimelineGrid.CursorMoved)
    def _cursor_moved(self, message: TimelineGrid.CursorMoved) -> None:
        photo = message.photo
        if photo is None or self.grid.index is None:
            return
        self._post_summary(photo, message.offset)

    @on(TimelineGrid.SelectionChanged)
    def _selection_changed(self, message: TimelineGrid.SelectionChanged) -> None:
        photo = self.grid.current_photo
        if photo is not None:
            self._post_summary(photo, self.grid.cursor)

    def _post_summary(self, photo: Photo, offset: int) -> None:
        if not self.grid.total:  # a message about the timeline before an empty search result
            return
        day = self.grid.index.day_at(offset) if self.grid.index else None
        where = period_title(day.key) if photo.taken_at and day else "undated"
        chosen = f"{len(self.grid.selection):,} selected · " if self.grid.selection else ""
        self.post_message(
            self.CursorSummary(self, f"{chosen}{photo.name} · {where} · {offset + 1:,}/{self.grid.total:,}")
        )

    @dataclass
    class CursorSummary(Message):
        """What the cursor is on, for the status bar."""

        pane: TimelinePane
        text: str

    @on(TimelineGrid.Opened)
    def _open(self, message: TimelineGrid.Opened) -> None:
        from tui.screens.photo import PhotoScreen

        index = self.grid.index
        if index is None:
            return
        screen = PhotoScreen(
            self.library,
            index,
            message.offset,
            first=self.grid.photo_at(message.offset),
            preview_mode=self.preview_mode,
        )
        self.app.push_screen(screen, callback=lambda offset: self._photo_closed(screen, offset))

    def _photo_closed(self, screen: PhotoScreen, offset: int | None) -> None:
        if offset is not None:
            self.grid.go_to(offset)
        if screen.marks_changed:
            self.reload()  # ♥ and ratings on the tiles, and a filter like rating:4.. counted again
        self.grid.focus()
