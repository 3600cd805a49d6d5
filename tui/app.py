"""The Shoebox app: the panes of :data:`tui.panes.PANES`, search, long jobs in the background. Deliberately thin.

State lives in the panes; this class switches between them, routes the search bar to
the current one, and wires the jobs of :mod:`tui.jobs` (indexing, backup, sharing: the
same core calls the CLI makes, on thread workers) to the status bar and notifications.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, Footer
from textual.worker import Worker, WorkerState

from core.catalog import CatalogDamaged, damage_message, diagnose, filter_term
from core.cloud import BackupProgress
from core.config import ConfigError, load_config
from core.indexing import IndexProgress, IndexStats
from core.library import Library
from tui.commands import KeyCommands
from tui.formatting import human_size, plural, sentence
from tui.gc_pacing import IdleCollector
from tui.jobs.backup import GROUP as BACKUP
from tui.jobs.backup import BackupFinished, BackupJob, BackupProgressed, BackupStarted
from tui.jobs.indexing import GROUP as INDEXING
from tui.jobs.indexing import IndexingFinished, IndexingJob, IndexingProgress, IndexingRefused
from tui.jobs.share import DEFAULT_SHARE_EXPIRY, Shared, ShareJob
from tui.panes import PANES, AlbumsPane, Pane, PeoplePane, TimelinePane
from tui.previews.mode import PreviewMode
from tui.theme import THEMES
from tui.widgets.pane_tabs import PaneTabs
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_bar import StatusBar
from tui.worker_errors import CatalogDamageFound, WorkerFailed, WorkerNotice

if TYPE_CHECKING:
    from tui.screens.photo import PhotoScreen

#: Actions that only make sense on the main screen (not over the photo view).
MAIN_SCREEN_ACTIONS = frozenset({"show_pane", "search", "add_folder", "reindex", "backup", "share"})
#: Of those, the ones that also work over the photo view (on the photo shown there).
PHOTO_VIEW_ACTIONS = frozenset({"backup", "share"})
#: Seconds between timeline refreshes while indexing adds photos.
LIVE_RELOAD_SECONDS = 1.5
#: How often a pending full garbage collection checks whether the user is idle.
IDLE_COLLECT_TICK_SECONDS = 0.25
#: Seconds between looks at which photos on screen a running backup has uploaded.
BACKUP_MARKS_SECONDS = 1.0


class ShoeboxApp(App[int]):
    """Shoebox's terminal UI over one library."""

    CSS_PATH = Path(__file__).with_name("shoebox.tcss")
    TITLE = "Shoebox"
    #: Panes focus their own content when it is ready (the search bar must not get it).
    AUTO_FOCUS = None
    COMMANDS = App.COMMANDS | {KeyCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        *(pane.switch_binding() for pane in PANES),  # 1–4: app.pane-timeline …
        Binding("slash", "search", "Search", id="app.search", tooltip="Filter this pane as you type"),
        Binding("escape", "clear_search", "Clear search", id="app.clear-search", tooltip="Show everything again"),
        Binding("a", "add_folder", "Add folder", id="app.add-folder", tooltip="Add a folder of photos and index it"),
        Binding("r", "reindex", "Re-index", show=False, id="app.reindex", tooltip="Look for new, changed and removed files in every folder"),
        Binding("x", "stop_indexing", "Stop indexing", id="app.stop-indexing", tooltip="Stop indexing (what is done is kept; r resumes)"),
        Binding("b", "backup", "Back up", show=False, id="app.backup", tooltip="Upload photos not yet in the backup bucket (resumable)"),
        Binding("x", "stop_backup", "Stop backup", id="app.stop-backup", tooltip="Stop the backup (what is uploaded is kept; b resumes)"),
        Binding("S", "share", "Share", show=False, id="app.share", tooltip="Share the photo under the cursor by an expiring link"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Show every key"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit Shoebox"),
    ]  # fmt: skip

    indexing: reactive[bool] = reactive(False, init=False)
    """Whether an indexing worker is running."""
    backing_up: reactive[bool] = reactive(False, init=False)
    """Whether a backup worker is running."""

    def __init__(self, library: Library, *, preview_mode: PreviewMode = PreviewMode.HALFCELL) -> None:
        super().__init__()
        self.library = library
        self.preview_mode = preview_mode
        self.indexer = IndexingJob(self, library)
        self.backup = BackupJob(self, library)
        self.sharing = ShareJob(self, library)
        self.panes: list[Pane] = [pane.create(library, preview_mode) for pane in PANES]
        self.tabs = PaneTabs([(p.PANE_ID, p.KEY, p.TITLE) for p in self.panes], id="tabs")
        self.search_bar = SearchBar(id="search")
        self.switcher = ContentSwitcher(self.panes[0], initial=self.panes[0].PANE_ID, id="panes")
        self.status_bar = StatusBar(id="status")
        self._summaries: dict[str, str] = {}
        self._cursor_text = ""
        self._photos_at_last_reload = 0
        self._last_progress: IndexProgress | None = None
        self._backup_marked_at = 0.0
        self._backup_marked_at_done = 0
        self._damage_shown = False
        self.idle_collector = IdleCollector(waiting=self._answer_pending)
        """Runs full garbage collections between key presses, not during one (issue #12)."""
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "shoebox"

    # --- Layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield self.tabs
        yield self.search_bar
        yield self.switcher
        yield self.status_bar
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._read_keymap()
        self.set_interval(LIVE_RELOAD_SECONDS, self._live_reload)
        self.idle_collector.start()
        self.set_interval(IDLE_COLLECT_TICK_SECONDS, self.idle_collector.tick)
        if self.library.db.damage is not None:  # found by an earlier run: say so at once
            self._show_catalog_damage(damage_message(self.library.db.path, self.library.db.damage))

    def on_unmount(self) -> None:
        self.idle_collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            self.idle_collector.user_input()
        await super().on_event(event)

    @dataclass
    class KeymapLoaded(Message):
        """``[keys]`` of the library's config.toml was read (by a worker); ``problem`` when it could not be."""

        keymap: dict[str, str]
        problem: str | None = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="keymap", description="Reading the keymap")
    def _read_keymap(self) -> None:
        """``[keys]`` in config.toml remaps bindings by id (``app.quit = "ctrl+q"``): read off the UI thread."""
        try:
            keys = load_config(self.library.directory).get("keys", {})
        except ConfigError as exc:
            self.post_message(self.KeymapLoaded({}, str(exc)))
            return
        self.post_message(self.KeymapLoaded({str(k): str(v) for k, v in keys.items()}))

    @on(KeymapLoaded)
    def _keymap_loaded(self, message: KeymapLoaded) -> None:
        if message.problem is not None:
            self.notify(message.problem, severity="warning")
        elif message.keymap:
            self.set_keymap(message.keymap)

    def _answer_pending(self) -> bool:
        """A count or rows the user waits for are on their way (a full collection now would delay them)."""
        timeline = self.timeline
        return timeline.is_mounted and timeline.answer_pending

    @property
    def current_pane(self) -> Pane:
        current = self.switcher.current
        return next((pane for pane in self.panes if pane.PANE_ID == current), self.panes[0])

    @property
    def timeline(self) -> TimelinePane:
        return next(pane for pane in self.panes if isinstance(pane, TimelinePane))

    # --- Panes -------------------------------------------------------------------------

    async def action_show_pane(self, pane_id: str) -> None:
        pane = next((p for p in self.panes if p.PANE_ID == pane_id), None)
        if pane is None:
            return
        if not pane.is_mounted:  # panes other than the timeline are built when first shown
            await self.switcher.mount(pane)
        self.switcher.current = pane_id
        self.tabs.current = pane_id
        pane = self.current_pane
        bar = self.search_bar
        bar.display = bool(pane.search_text)
        if pane.search_text:
            bar.open(pane.search_text, pane.SEARCH_HINT)
        pane.focus_content()
        self._show_summary()
        self.refresh_bindings()

    @on(AlbumsPane.OpenAlbum)
    async def _open_album(self, message: AlbumsPane.OpenAlbum) -> None:
        await self.show_in_timeline(filter_term("album", message.album.name))

    async def show_in_timeline(self, query: str) -> None:
        """Switch to the timeline filtered by ``query`` (escape there shows everything again)."""
        error = self.timeline.search(query)
        if error:
            self.notify(error, title="Search", severity="error")
            return
        await self.action_show_pane("timeline")

    @on(Pane.Summary)
    def _pane_summary(self, message: Pane.Summary) -> None:
        self._summaries[message.pane.PANE_ID] = message.text
        self._show_summary()

    def _show_summary(self) -> None:
        if self.indexing and self._last_progress is not None:
            return
        status = self.status_bar
        status.set_summary(self._summaries.get(self.current_pane.PANE_ID, ""))
        status.set_detail(self._cursor_text if self.current_pane is self.timeline else "")

    @on(TimelinePane.CursorSummary)
    def _cursor_summary(self, message: TimelinePane.CursorSummary) -> None:
        self._cursor_text = message.text
        if self.current_pane is message.pane:
            self.status_bar.set_detail(message.text)

    # --- Search ------------------------------------------------------------------------

    def action_search(self) -> None:
        pane = self.current_pane
        if not pane.can_search:
            self.notify(f"There is nothing to search in {pane.TITLE} yet.")
            return
        self.search_bar.open(pane.search_text, pane.SEARCH_HINT)

    def action_clear_search(self) -> None:
        self.search_bar.action_clear()

    @on(SearchBar.QueryChanged)
    def _search_changed(self, message: SearchBar.QueryChanged) -> None:
        error = self.current_pane.search(message.text)
        message.bar.show_error(error)

    @on(SearchBar.Done)
    def _search_done(self, message: SearchBar.Done) -> None:
        if not message.bar.input.value.strip():
            message.bar.display = False
        self.current_pane.focus_content()

    @on(SearchBar.Cleared)
    def _search_cleared(self, message: SearchBar.Cleared) -> None:
        self.current_pane.search("")
        message.bar.show_error(None)
        message.bar.display = False
        self.current_pane.focus_content()

    # --- Indexing ----------------------------------------------------------------------

    def action_add_folder(self) -> None:
        from tui.screens.add_folder import AddFolderScreen

        self.push_screen(AddFolderScreen(), self._folder_chosen)

    def _folder_chosen(self, path: Path | None) -> None:
        if path is not None:
            self._indexing_starts()
            self.indexer.add_folder(str(path))  # checked on the worker: a refusal comes back as IndexingRefused

    def action_reindex(self) -> None:
        self.start_indexing(None, add=False)  # with no folders yet, IndexingRefused says how to add one

    def start_indexing(self, roots: list[str] | None, *, add: bool) -> Worker[IndexStats | None]:
        """Index ``roots`` (all roots when None), registering them first when ``add``."""
        self._indexing_starts()
        return self.indexer.start(roots, add=add)

    @on(PeoplePane.FindFaces)
    def _find_faces(self, _message: PeoplePane.FindFaces) -> None:
        """Scan the photos not yet scanned for faces, as indexing does (x stops it; it resumes later)."""
        if self.indexing:
            self.notify("Indexing is running: faces are looked for once it is done (x stops it).", title="Find faces")
            return
        self._indexing_starts()
        self.status_bar.set_summary("Looking for faces…")
        self.indexer.run_stage("faces")

    def _indexing_starts(self) -> None:
        self.indexing = True
        self._last_progress = None
        self.status_bar.set_summary("Starting to index…")

    def action_stop_indexing(self) -> None:
        self.indexer.stop()
        self.status_bar.set_summary("Stopping…")

    @on(IndexingRefused)
    def _indexing_refused(self, message: IndexingRefused) -> None:
        self._indexing_ended()
        self.notify(message.text, title=message.title, severity=message.severity)  # type: ignore[arg-type]

    def _indexing_ended(self) -> None:
        self.indexing = False
        self._last_progress = None
        self._photos_at_last_reload = 0
        self.status_bar.hide_progress()
        self._show_summary()

    @on(IndexingProgress)
    def _indexing_progress(self, message: IndexingProgress) -> None:
        if self.indexing:
            self._last_progress = message.progress
            self.status_bar.show_progress(message.progress)

    def _live_reload(self) -> None:
        """While indexing, show new photos as they are stored (a few times a minute)."""
        progress = self._last_progress
        if self.indexing and progress is not None and progress.files_done != self._photos_at_last_reload:
            self._photos_at_last_reload = progress.files_done
            self.timeline.reload()

    @on(IndexingFinished)
    def _indexing_finished(self, message: IndexingFinished) -> None:
        stats = message.stats
        self._indexing_ended()
        for pane in self.panes:
            if pane.is_mounted:
                pane.reload()
        if message.stage_only:  # the people pane's s
            self._stage_finished(stats)
        elif stats.cancelled:
            self.notify("Indexing stopped. What was read is kept; press r to go on.", title="Stopped")
        else:
            text = f"{plural(stats.stored, 'photo')} added or updated, {stats.unchanged:,} unchanged"
            if stats.problems:
                text += f", {plural(stats.problems, 'problem')}"
            for line in stats.stage_summaries:
                text += f"\n{sentence(line)}"
            if stats.thumbnails_failed:
                text += f"\n{plural(stats.thumbnails_failed, 'thumbnail')} not saved ({stats.thumbnail_problem}); drawn from the originals for now"
            self.notify(text, title="Indexing done", severity="warning" if stats.thumbnails_failed else "information")

    def _stage_finished(self, stats: IndexStats) -> None:
        from core.indexing import phase_title  # loads every stage (numpy with faces): not at start-up

        result = stats.stages[0]
        if stats.cancelled:
            text = f"Stopped after {plural(result.photos, 'photo')}; what was done is kept (s goes on)."
        else:
            text = sentence(result.summary) or f"{plural(result.photos, 'photo')} looked at, nothing new found."
        self.notify(text, title="Stopped" if stats.cancelled else phase_title(result.stage))

    # --- Backup and sharing ------------------------------------------------------------

    def action_backup(self) -> None:
        self.backup.start()  # the target is read on the worker; BackupStarted (or a notice) follows

    @on(BackupStarted)
    def _backup_started(self, _message: BackupStarted) -> None:
        self.backing_up = True
        self._backup_marked_at_done = 0
        self.status_bar.show_backup(BackupProgress("planning"))

    def action_stop_backup(self) -> None:
        self.backup.stop()
        self.notify("Stopping the backup after the uploads in flight…", title="Back up")

    @on(BackupProgressed)
    def _backup_progressed(self, message: BackupProgressed) -> None:
        if not self.backing_up:
            return
        self.status_bar.show_backup(message.progress)
        now = time.monotonic()
        if (
            message.progress.files_done != self._backup_marked_at_done
            and now - self._backup_marked_at >= BACKUP_MARKS_SECONDS
        ):
            self._backup_marked_at, self._backup_marked_at_done = now, message.progress.files_done
            self.timeline.grid.refresh_backup_marks()  # ☁ appears on photos as they are uploaded

    @on(BackupFinished)
    def _backup_finished(self, message: BackupFinished) -> None:
        stats = message.stats
        self.backing_up = False
        self.status_bar.hide_backup()
        self.timeline.reload()  # the backed-up glyphs
        text = f"{plural(stats.uploaded, 'file')} uploaded ({human_size(stats.bytes_uploaded)}), {stats.already_backed_up:,} backed up before"
        if stats.found_in_bucket:
            text += f", {stats.found_in_bucket:,} already in the bucket"
        if stats.failed:
            text += f", {stats.failed:,} failed"
        if stats.cancelled or stats.remaining:
            text += f"; {stats.remaining:,} still queued (b resumes)"
        problem = stats.stopped or (stats.errors[0] if stats.errors else None)
        if problem:
            text += f"\n{problem}"
        severity = "warning" if stats.failed or stats.stopped else "information"
        self.notify(text, title="Backup stopped" if stats.cancelled else "Backup done", severity=severity, timeout=10)

    def _photo_view(self) -> PhotoScreen | None:
        """The photo view, when it is the screen in use (the command palette may be over it)."""
        from tui.screens.photo import PhotoScreen

        screens = [screen for screen in self.screen_stack if not isinstance(screen, CommandPalette)]
        return screens[-1] if len(screens) == 2 and isinstance(screens[-1], PhotoScreen) else None

    def action_share(self) -> None:
        """Share the photo shown in the photo view, or the one under the timeline's cursor."""
        view = self._photo_view()
        if view is not None:
            photo = view.photo
        else:
            photo = self.timeline.grid.current_photo if self.current_pane is self.timeline else None
        if photo is None:
            self.notify("Put the cursor on a photo in the timeline to share it.", title="Share")
            return
        self.sharing.start(photo)  # the target is read on the worker

    @on(Shared)
    def _shared(self, message: Shared) -> None:
        self.copy_to_clipboard(message.url)
        self.notify(f"{message.url}\n(copied; works for {DEFAULT_SHARE_EXPIRY})", title="Shared", timeout=30)

    # --- Failures, and a damaged catalog ---------------------------------------------------

    @on(WorkerFailed)
    def _worker_failed(self, message: WorkerFailed) -> None:
        self._report_failure(message.description, message.error)

    @on(WorkerNotice)
    def _worker_notice(self, message: WorkerNotice) -> None:
        self.notify(message.text, title=message.title, severity=message.severity, timeout=message.timeout)  # type: ignore[arg-type]

    def _report_failure(self, description: str, error: BaseException) -> None:
        if isinstance(error, CatalogDamaged):
            self._show_catalog_damage(str(error))
        elif isinstance(error, sqlite3.DatabaseError):
            self._diagnose(error)
        else:
            self.notify(f"{description} failed: {error}", severity="error", timeout=10)

    @work(thread=True, exclusive=True, exit_on_error=False, group="catalog-check", description="Checking the catalog")
    def _diagnose(self, error: sqlite3.DatabaseError) -> None:
        """A read failed: check the catalog (off the UI thread) and say what is wrong."""
        message = diagnose(self.library.db.path, error)
        self.post_message(CatalogDamageFound(message or f"the catalog could not be read: {error}"))

    @on(CatalogDamageFound)
    def _damage_found(self, message: CatalogDamageFound) -> None:
        self._show_catalog_damage(message.text)

    def _show_catalog_damage(self, text: str) -> None:
        """One lasting notification (not one per failed worker)."""
        if self._damage_shown:
            return
        self._damage_shown = True
        self.notify(text, title="The catalog is damaged", severity="error", timeout=24 * 3600, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self._report_failure(worker.description, worker.error)
        if worker.group == INDEXING and event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            if event.state is WorkerState.CANCELLED and self.indexing:
                return  # the worker still runs until core notices; IndexingFinished follows
            self._indexing_ended()
        if worker.group == BACKUP and event.state is WorkerState.ERROR:
            self.backing_up = False
            self.status_bar.hide_backup()

    def _over_main_screen(self) -> bool:
        """Whether another screen (not the command palette) covers the panes."""
        return any(not isinstance(screen, CommandPalette) for screen in self.screen_stack[1:])

    def watch_indexing(self) -> None:
        self.refresh_bindings()

    def watch_backing_up(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ACTIONS and self._over_main_screen():
            if not (action in PHOTO_VIEW_ACTIONS and self._photo_view() is not None):
                return False  # the photo view and dialogs have their own keys
        if action == "search" and not self.current_pane.can_search:
            return False
        if action == "clear_search":
            return bool(self.current_pane.search_text) and not self._over_main_screen()
        if action == "stop_indexing":
            return self.indexing
        if action == "stop_backup":
            return self.backing_up and not self.indexing
        if action == "backup" and self.backing_up:
            return None
        if action in ("add_folder", "reindex") and self.indexing:
            return None
        return True

    # --- Help and quitting -------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.add_folder import AddFolderScreen
        from tui.screens.help import HelpScreen

        panes = [section for pane in PANES for section in pane.help_sections()]
        self.push_screen(
            HelpScreen([("Everywhere", ShoeboxApp), *panes, ("Search bar", SearchBar), ("Add folder", AddFolderScreen)])
        )

    async def action_quit(self) -> None:
        self.indexer.stop()
        self.workers.cancel_group(self, INDEXING)
        self.backup.stop()
        self.exit(0)
