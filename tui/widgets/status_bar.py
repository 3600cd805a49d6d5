"""The line above the footer: what the pane shows, the cursor's photo, indexing progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from core.cloud import BackupProgress
from core.indexing import IndexProgress
from tui.formatting import human_size, plural


class StatusBar(Horizontal):
    """Left: a summary or the indexing state; right: the photo under the cursor."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
        & > #status-summary { width: auto; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
        & > ProgressBar { width: auto; padding: 0 1 0 0; }
        & > ProgressBar Bar { width: 16; }
        & > #status-backup { width: auto; padding: 0 1; color: $success; text-wrap: nowrap; }
        & > #status-detail { width: 1fr; padding: 0 1; color: $text-muted; text-align: right; text-wrap: nowrap; text-overflow: ellipsis; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._summary = Static("", id="status-summary", markup=False)
        self._bar = ProgressBar(id="status-progress", show_eta=False)
        self._backup = Static("", id="status-backup", markup=False)
        self._backup_text = ""
        self._detail = Static("", id="status-detail", markup=False)

    def compose(self) -> ComposeResult:
        yield self._summary
        yield self._bar
        yield self._backup
        yield self._detail

    def on_mount(self) -> None:
        self._bar.display = False
        self._backup.display = False

    def set_summary(self, text: str) -> None:
        self._summary.update(text)

    def set_detail(self, text: str) -> None:
        self._detail.update(text)

    def show_progress(self, progress: IndexProgress) -> None:
        """Indexing state: phase, counts and a bar once the total is known."""
        bar = self._bar
        if progress.phase == "scanning":
            text = f"Scanning… {plural(progress.files_seen, 'file')} seen"
            bar.display = False
        else:
            from core.indexing import phase_title  # loads every stage (numpy with faces): not at start-up

            text = f"{phase_title(progress.phase)} {progress.files_done:,}/{progress.files_total:,}"
            if progress.rate:
                text += f" · {progress.rate:.0f}/s"
            if progress.problems:
                text += f" · {plural(progress.problems, 'problem')}"
            bar.display = progress.files_total > 0
            bar.update(total=max(1, progress.files_total), progress=progress.files_done)
        self.set_summary(text + "  (x stops)")

    def hide_progress(self) -> None:
        self._bar.display = False

    @property
    def backup_text(self) -> str:
        """What the backup segment shows ("" when hidden)."""
        return self._backup_text if self._backup.display else ""

    def show_backup(self, progress: BackupProgress) -> None:
        """A running backup: what is still queued and how fast uploads go."""
        if progress.phase == "planning":
            text = "☁ Planning backup…"
        else:
            queued = max(0, progress.files_total - progress.files_done)
            text = f"☁ {queued:,} queued · {human_size(progress.rate)}/s"
            if progress.failed:
                text += f" · {plural(progress.failed, 'failure')}"
        self._backup_text = text
        self._backup.update(text)
        self._backup.display = True

    def hide_backup(self) -> None:
        self._backup.display = False
