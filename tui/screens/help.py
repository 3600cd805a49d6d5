"""``?``: every key of the app, grouped by where it works, then the search language (``/``)."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from core.catalog import GRAMMAR_HELP, query_terms


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
            yield Static(
                "[b]Keys and search[/b]  [dim]escape closes · ctrl+p finds any action by name[/]",
                classes="dialog--title",
            )
            with VerticalScroll(id="help-keys"):
                yield Static(self._table())
                yield Static(self._search_table(), id="help-search")

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

    @staticmethod
    def _search_table() -> Table:
        """The grammar and every query term, from the registry (what ``shoebox help query`` prints)."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", min_width=10, max_width=32, overflow="fold")
        table.add_column()
        table.add_row("", "")
        table.add_row("[u]Search (/)[/u]", "")
        intro, *examples = GRAMMAR_HELP.splitlines()
        table.add_row("", escape(intro))
        for line in examples:
            example, _, meaning = line.strip().partition("  ")
            table.add_row(escape(example), escape(meaning.strip()))
        group = None
        for term in query_terms():
            if term.group != group:
                group = term.group
                table.add_row(f"[dim]{escape(group)}[/]", "")
            also = f" (also {', '.join(a + ':' for a in term.aliases)})" if term.aliases else ""
            table.add_row(escape(f"{term.name}:{term.value}"), escape(f"{term.help}{also}, e.g. {term.example}"))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
