"""A small dialog editing a set of names (a photo's tags or albums), comma-separated, with completion.

The names it completes from may be given, or read by a callable on a worker: the dialog
opens at once (keys typed right after ``t`` or ``A`` reach it) and completes from the
names once they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import Suggester, SuggestionReady
from textual.widgets import Input, Label

from core.collections import list_albums, list_tags
from core.library import Library
from tui.worker_errors import ReportsWorkerErrors

#: The names to complete from, or a blocking callable reading them (called on a worker thread).
KnownNames = list[str] | Callable[[], list[str]]


class LastNameSuggester(Suggester):
    """Completes the name being typed after the last comma from the names the library has."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.known = known

    async def get_suggestion(self, value: str) -> str | None:
        head, comma, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        taken = {n.strip().casefold() for n in head.split(",")}
        for name in self.known:
            if name.casefold().startswith(typed.casefold()) and name.casefold() not in taken:
                return f"{head}{comma}{last[: len(last) - len(typed)]}{name}"
        return None


def library_names(library: Library, kind: str) -> Callable[[], list[str]]:
    """A reader of every tag (``kind`` "tags") or album name in the library, for the dialog's worker."""
    if kind == "tags":
        return lambda: [tag.name for tag in list_tags(library.db)]
    return lambda: [album.name for album in list_albums(library.db)]


def split_names(text: str) -> list[str]:
    """``"beach, family ,"`` → ``["beach", "family"]`` (empty pieces dropped, order kept)."""
    return [piece.strip() for piece in text.split(",") if piece.strip()]


class NamesDialog(ReportsWorkerErrors, ModalScreen[list[str] | None]):
    """Edit names as one comma-separated line: enter saves exactly what is there, escape cancels."""

    DEFAULT_CSS = """
    NamesDialog { align: center middle; }
    NamesDialog > Vertical {
        width: 64; height: auto; padding: 1 2; border: round $accent; background: $surface;
        & > Label { width: 1fr; }
        & > .names-dialog--hint { color: $text-muted; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "complete", "Complete", show=False),
    ]

    @dataclass
    class KnownLoaded(Message):
        """The names to complete from were read (by the dialog's worker)."""

        names: list[str]

    def __init__(self, title: str, current: list[str], known: KnownNames, hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.current = current
        self.hint = hint
        self._read = known if callable(known) else None
        self._suggester = LastNameSuggester([] if callable(known) else list(known))
        self.known_loaded = self._read is None
        """Whether the names to complete from are in (at once when given as a list)."""

    @property
    def known(self) -> list[str]:
        return self._suggester.known

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/]")
            yield Label(self.hint, classes="names-dialog--hint")
            yield Input(", ".join(self.current), suggester=self._suggester, select_on_focus=False, id="names-input")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        if field.value:
            field.value += ", "  # ready to type one more
        field.cursor_position = len(field.value)
        if self._read is not None:
            self._read_known(self._read)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="names-dialog", description="Reading names to complete"
    )
    def _read_known(self, read: Callable[[], list[str]]) -> None:
        self.post_message(self.KnownLoaded(read()))

    @on(KnownLoaded)
    async def _known_loaded(self, message: KnownLoaded) -> None:
        """Complete from the names now, and suggest for what was typed while they were read."""
        self._suggester.known = message.names
        self.known_loaded = True
        field = self.query_one(Input)
        value = field.value
        suggestion = await self._suggester.get_suggestion(value.casefold()) if value else None
        if suggestion is not None:
            field.post_message(SuggestionReady(value, suggestion))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(split_names(event.value))

    def action_complete(self) -> None:
        """Take the suggested name (as → does at the end of the line)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def action_cancel(self) -> None:
        self.dismiss(None)
