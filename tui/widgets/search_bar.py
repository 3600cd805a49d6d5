"""The search line (``/``): filters the current pane as you type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

#: Seconds of no typing before a search runs (keeps big libraries responsive).
DEBOUNCE = 0.2


class SearchBar(Horizontal):
    """An input that reports its query (debounced), submission and clearing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear search", id="search.clear", tooltip="Clear the search and show everything"),
    ]

    DEFAULT_CSS = """
    SearchBar {
        height: auto;
        & > #search-prompt { width: auto; padding: 0 1; color: $text-primary; text-style: bold; }
        & > Input { width: 1fr; }
        & > #search-error { width: auto; max-width: 50%; color: $text-error; padding: 0 1; }
    }
    """

    @dataclass
    class QueryChanged(Message):
        bar: SearchBar
        text: str

        @property
        def control(self) -> SearchBar:
            return self.bar

    @dataclass
    class Done(Message):
        """Enter: keep the filter and go back to the results."""

        bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.bar

    @dataclass
    class Cleared(Message):
        """Escape: no filter any more."""

        bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("Search", id="search-prompt")
        yield Input(id="search-input", compact=True)
        yield Static("", id="search-error")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    def open(self, text: str, hint: str) -> None:
        """Show the bar with ``text`` and focus it."""
        self.display = True
        self.input.placeholder = hint
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self.show_error(None)
        self.input.focus()
        self.input.cursor_position = len(text)

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#search-error", Static)
        error.update(message or "")
        error.display = bool(message)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self.post_message(self.QueryChanged(self, event.value)))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.post_message(self.QueryChanged(self, event.value))
        self.post_message(self.Done(self))

    def action_clear(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.post_message(self.Cleared(self))
