"""What every pane shares: a title and key, search, reloading from the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.containers import Container
from textual.message import Message

from core.library import Library
from tui.worker_errors import ReportsWorkerErrors


class Pane(ReportsWorkerErrors, Container):
    """A top-level view, switched with its number key.

    Subclasses set :attr:`PANE_ID`, :attr:`TITLE`, :attr:`KEY`, and override
    :meth:`reload` (re-read the catalog, in a worker) and :meth:`search` if they filter.
    """

    PANE_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    KEY: ClassVar[str] = ""
    #: Shown in the search bar when this pane is searched.
    SEARCH_HINT: ClassVar[str] = ""

    @dataclass
    class Summary(Message):
        """A one-line description of what the pane shows now (for the status bar)."""

        pane: Pane
        text: str

        @property
        def control(self) -> Pane:
            return self.pane

    def __init__(self, library: Library, **kwargs: object) -> None:
        super().__init__(id=self.PANE_ID, **kwargs)  # type: ignore[arg-type]
        self.library = library
        self.search_text = ""

    @property
    def can_search(self) -> bool:
        return bool(self.SEARCH_HINT)

    def reload(self) -> None:
        """Re-read what the pane shows from the catalog (after indexing, for example)."""

    def search(self, text: str) -> str | None:
        """Filter by ``text``; returns an error message when the query is not understood."""
        self.search_text = text
        return None

    def focus_content(self) -> None:
        """Give the keyboard to the pane's main widget."""
        self.focus()
