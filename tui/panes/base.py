"""What every pane shares: a title and key, its keys in the help list, search, reloading."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding
from textual.containers import Container
from textual.dom import DOMNode
from textual.message import Message

from core.library import Library
from tui.previews.mode import PreviewMode
from tui.worker_errors import ReportsWorkerErrors

#: A titled group of keys in the ``?`` list: (title, class whose BINDINGS are listed).
HelpSection = tuple[str, type[DOMNode]]


class Pane(ReportsWorkerErrors, Container):
    """A top-level view, switched with its number key.

    Subclasses set :attr:`PANE_ID`, :attr:`TITLE`, :attr:`KEY` (and ``BINDINGS``), and
    override :meth:`reload` (re-read the catalog, in a worker) and :meth:`search` if they
    filter. Listed in :data:`tui.panes.PANES`, a pane gets its number key, its tab and its
    section of the ``?`` list from these class attributes.
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

    @classmethod
    def switch_binding(cls) -> Binding:
        """The app-level key showing this pane (id ``app.pane-ID``, so config.toml keymaps keep working)."""
        return Binding(cls.KEY, f"show_pane('{cls.PANE_ID}')", cls.TITLE, show=False, id=f"app.pane-{cls.PANE_ID}",
                       tooltip=f"Show the {cls.TITLE.lower()}")  # fmt: skip

    @classmethod
    def help_sections(cls) -> list[HelpSection]:
        """The pane's groups of keys in the ``?`` list (one, from its BINDINGS, unless overridden)."""
        return [(cls.TITLE, cls)]

    @classmethod
    def create(cls, library: Library, preview_mode: PreviewMode) -> Pane:
        """The pane the app shows over ``library`` (a pane drawing pictures uses ``preview_mode``)."""
        return cls(library)

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
