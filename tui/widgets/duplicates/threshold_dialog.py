"""A small dialog asking for the near-duplicate threshold (bits of 64)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from core.duplicates import MAX_THRESHOLD


class ThresholdDialog(ModalScreen[int | None]):
    """Enter a whole number from 0 to MAX_THRESHOLD; escape keeps the current one."""

    DEFAULT_CSS = """
    ThresholdDialog { align: center middle; }
    ThresholdDialog > Vertical {
        width: 56; height: auto; padding: 1 2; border: round $accent; background: $surface;
        & > Label { width: 1fr; }
        & > .threshold-dialog--hint { color: $text-muted; }
        & > .threshold-dialog--error { color: $error; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: int) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Near-duplicate threshold[/]")
            yield Label(
                f"Largest difference between two pictures' hashes, in bits (0–{MAX_THRESHOLD}). "
                "Higher finds more near copies, and more false ones. "
                "Kept as this library's default (shoebox dupes uses it too).",
                classes="threshold-dialog--hint",
            )
            yield Input(str(self.current), type="integer", id="threshold-input")
            yield Label("", classes="threshold-dialog--error")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        field.select_all()  # typing replaces the current value

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            value = int(event.value.strip())
        except ValueError:
            value = -1
        if not 0 <= value <= MAX_THRESHOLD:
            self.query_one(".threshold-dialog--error", Label).update(
                f"A whole number from 0 to {MAX_THRESHOLD}, please."
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
