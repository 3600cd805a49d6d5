"""A centred message telling the user what will appear here and how to get it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static


class EmptyState(Middle):
    """Title, explanation and (optionally) the keys or commands that fill this place."""

    DEFAULT_CSS = """
    EmptyState {
        height: 1fr;
        & Center { height: auto; }
        & .empty-state--title { width: auto; max-width: 70; text-style: bold; color: $text-primary; }
        & .empty-state--body { width: auto; max-width: 72; color: $text-muted; margin-top: 1; text-align: center; }
    }
    """

    def __init__(self, title: str, body: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Center():
            yield Static(self._title, classes="empty-state--title", markup=False)
        with Center():
            yield Static(self._body, classes="empty-state--body")

    def update(self, title: str, body: str = "") -> None:
        """Change the message (markup allowed in ``body`` for key names)."""
        self._title, self._body = title, body
        if self.is_mounted:
            self.query_one(".empty-state--title", Static).update(title)
            self.query_one(".empty-state--body", Static).update(body)
