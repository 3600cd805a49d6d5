"""The photo view's side panel: date and its source, camera, exposure, size, GPS, path; rating, albums, tags."""

from __future__ import annotations

import os

from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.catalog import Photo
from core.collections import Annotations
from tui.formatting import annotation_facts, photo_facts


class MetadataPanel(VerticalScroll):
    """Everything the catalog knows about one photo, as label/value rows."""

    DEFAULT_CSS = """
    MetadataPanel {
        width: 38;
        padding: 0 1;
        border-left: tall $panel;
        & > Static { width: 1fr; }
    }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="metadata-facts")

    def show(self, photo: Photo | None, notes: Annotations | None = None, sidecar: str | None = None) -> None:
        """The photo's facts, and what the user added to it once ``notes`` are read (and the
        XMP sidecar beside it, if there is one)."""
        facts = self.query_one("#metadata-facts", Static)
        if photo is None:
            facts.update("")
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(ratio=1, overflow="fold")
        for label, value in photo_facts(photo):
            table.add_row(label, Text(value, style="bold" if label == "Name" else ""))
        if notes is not None:
            for label, value in annotation_facts(notes):
                table.add_row(label, Text(value, style="bold" if label == "Rating" and notes.rating else ""))
        if sidecar is not None:
            table.add_row("Sidecar", Text(os.path.basename(sidecar)))
        facts.update(table)
