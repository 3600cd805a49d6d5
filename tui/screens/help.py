"""``?``: every key of the app, grouped by where it works."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; any of ``escape``, ``?`` or ``q`` closes it."""

    AUTO_FOCUS = "#help-keys"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close", tooltip="Close the list of keys"),
    ]

    def __init__(self, sections: list[tuple[str, type[DOMNode]]]) -> None:
        """``sections``: (title, class whose BINDINGS to list) in order."""
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static("[b]Keys[/b]  [dim]escape closes · ctrl+p finds any action by name[/]", classes="dialog--title")
            with VerticalScroll(id="help-keys"):
                yield Static(self._table())

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=10)
        table.add_column()
        for title, owner in self._sections:
            bindings = [b for b in Binding.make_bindings(owner.BINDINGS) if b.description]
            if not bindings:
                continue
            if table.row_count:
                table.add_row("", "")
            table.add_row(f"[u]{title}[/u]", "")
            merged: dict[str, tuple[list[str], str]] = {}
            for binding in bindings:
                keys, _tip = merged.setdefault(binding.description, ([], binding.tooltip))
                keys.append(self.app.get_key_display(binding))
            for description, (keys, tooltip) in merged.items():
                text = f"{description}  [dim]{tooltip}[/]" if tooltip and tooltip != description else description
                table.add_row(" ".join(dict.fromkeys(keys)), text)
        return table

    def action_close(self) -> None:
        self.dismiss(None)
