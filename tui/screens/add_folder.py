"""Asking for a folder to add to the library (with completion); returns its path or None."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.widgets.path_suggester import FolderSuggester


class AddFolderScreen(ModalScreen[Path | None]):
    """A path input; ``enter`` adds the folder, ``escape`` cancels."""

    AUTO_FOCUS = "#add-folder-path"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="add-folder.cancel", tooltip="Close without adding anything"),
    ]

    def __init__(self, start: str = "") -> None:
        super().__init__()
        self._start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="add-folder-dialog", classes="dialog"):
            yield Static("[b]Add a folder[/b]", classes="dialog--title")
            yield Static(
                "Shoebox indexes the photos below it in place; nothing is moved or changed.\n"
                "[dim]→ completes a folder name · enter adds · escape cancels[/]",
                classes="dialog--body",
            )
            yield Input(self._start, placeholder="~/Pictures", suggester=FolderSuggester(), id="add-folder-path")
            yield Static("", id="add-folder-error", classes="dialog--error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        error = self.query_one("#add-folder-error", Static)
        if not text:
            error.update("Type the path of a folder.")
            return
        path = Path(os.path.expanduser(text)).absolute()
        if not path.exists():
            error.update(f"{path} does not exist.")
        elif not path.is_dir():
            error.update(f"{path} is a file; choose the folder that holds your photos.")
        elif not os.access(path, os.R_OK | os.X_OK):
            error.update(f"{path} cannot be read (permission denied).")
        else:
            self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
