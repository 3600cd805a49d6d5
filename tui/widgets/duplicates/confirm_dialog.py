"""A yes/no question before a decision that moves many files or overrides the evidence.

The default is "cancel": ``enter`` presses the focused button, and the focus starts on
Cancel; ``y`` confirms, ``escape`` or ``n`` cancels.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label


class ConfirmDialog(ModalScreen[bool]):
    """Returns True only when the person chose the confirming button (or pressed ``y``)."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2; border: round $warning; background: $surface;
        & > Label { width: 1fr; }
        & > .confirm-dialog--body { color: $text-muted; margin-bottom: 1; }
        & > Horizontal { height: auto; align-horizontal: right; }
        & Button { margin-left: 2; min-width: 12; }
    }
    """

    AUTO_FOCUS = "#confirm-cancel"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "cancel", "Cancel", id="confirm.cancel", tooltip="Do nothing"),
        Binding("y", "confirm", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("left,right", "app.focus_next", "Other button", show=False, id="confirm.switch"),
    ]

    def __init__(self, title: str, body: str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]{self.title_text}[/]")
            yield Label(self.body, classes="confirm-dialog--body")
            with Horizontal():
                yield Button("Cancel", id="confirm-cancel", variant="primary")
                yield Button(f"{self.confirm_label} (y)", id="confirm-yes", variant="warning")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
