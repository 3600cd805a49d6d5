"""The groups marked "not duplicates": pick one to have it grouped again (nothing else changes)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from core.duplicates import DismissedGroup
from tui.formatting import ellipsize, plural, tidy_path


def dismissed_label(group: DismissedGroup, width: int = 58) -> Text:
    """``3 photos · dismissed 2026-12-01`` and the files, one a line."""
    text = Text()
    text.append(plural(len(group.photos), "photo"), style="bold")
    text.append(f" · dismissed {group.decided_at[:10]} · {group.key}", style="dim")
    for photo in group.photos[:3]:
        text.append("\n  " + ellipsize(tidy_path(photo.path), width - 2))
    if len(group.photos) > 3:
        text.append(f"\n  and {len(group.photos) - 3} more", style="dim")
    return text


class DismissedDialog(ModalScreen[int | None]):
    """Returns the decision id to take back (``enter``), or None (``escape``)."""

    DEFAULT_CSS = """
    DismissedDialog { align: center middle; }
    DismissedDialog > Vertical {
        width: 66; max-width: 100%; height: auto; max-height: 90%; padding: 1 2; border: round $accent; background: $surface;
        & > Label { width: 1fr; }
        & > .dismissed-dialog--hint { color: $text-muted; }
        & > OptionList { height: auto; max-height: 16; border: none; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Close", id="dismissed.close", tooltip="Close, changing nothing"),
    ]

    def __init__(self, groups: list[DismissedGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label('[b]Marked "not duplicates"[/]')
            if self.groups:
                yield Label(
                    "enter: group these again (no file is touched) · escape: close", classes="dismissed-dialog--hint"
                )
                yield OptionList(
                    *(Option(dismissed_label(g), id=str(g.decision_id)) for g in self.groups), id="dismissed-list"
                )
            else:
                yield Label("No group is marked as not duplicates. escape closes.", classes="dismissed-dialog--hint")

    def on_mount(self) -> None:
        for listing in self.query(OptionList):
            listing.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
