"""A small dialog editing a set of names (a photo's tags or albums), comma-separated, with completion."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label


class LastNameSuggester(Suggester):
    """Completes the name being typed after the last comma from the names the library has."""

    def __init__(self, known: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self._known = known

    async def get_suggestion(self, value: str) -> str | None:
        head, comma, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        taken = {n.strip().casefold() for n in head.split(",")}
        for name in self._known:
            if name.casefold().startswith(typed.casefold()) and name.casefold() not in taken:
                return f"{head}{comma}{last[: len(last) - len(typed)]}{name}"
        return None


def split_names(text: str) -> list[str]:
    """``"beach, family ,"`` → ``["beach", "family"]`` (empty pieces dropped, order kept)."""
    return [piece.strip() for piece in text.split(",") if piece.strip()]


class NamesDialog(ModalScreen[list[str] | None]):
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

    def __init__(self, title: str, current: list[str], known: list[str], hint: str) -> None:
        super().__init__()
        self.title_text = title
        self.current = current
        self.known = known
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/]")
            yield Label(self.hint, classes="names-dialog--hint")
            yield Input(", ".join(self.current), suggester=LastNameSuggester(self.known), select_on_focus=False,
                        id="names-input")  # fmt: skip

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        if field.value:
            field.value += ", "  # ready to type one more
        field.cursor_position = len(field.value)

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
