"""Choosing a person from a list (the target of a merge): enter picks, escape cancels."""

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

from core.people import PersonSummary
from tui.widgets.people.labels import person_caption, person_label


class PersonPicker(ModalScreen[int | None]):
    """The persons given, named first; dismisses with the chosen one's id (None: cancelled)."""

    DEFAULT_CSS = """
    PersonPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 80%;
        padding: 1 2; border: round $accent; background: $surface;
        & > OptionList { height: auto; max-height: 16; border: none; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="person-picker.cancel", tooltip="Close without choosing"),
    ]

    def __init__(self, title: str, persons: list[PersonSummary]) -> None:
        super().__init__()
        self.title_text = title
        self.persons = persons

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(
                *(
                    Option(Text.assemble(person_label(p), "  ", (person_caption(p), "dim")), id=str(p.id))
                    for p in self.persons
                ),
                id="person-picker-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
