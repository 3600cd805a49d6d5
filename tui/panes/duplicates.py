"""The duplicates pane.

For now it lists groups of exact copies (files with identical bytes, found by their
sha256 while indexing) and explains what the full review will offer. The duplicates
feature replaces the body of this pane; its interface to the app is the :class:`Pane`
one: ``reload()``, ``search(text)`` and ``focus_content()``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.catalog.timeline import CopyGroup, exact_copy_groups
from tui.formatting import plural, tidy_path
from tui.panes.base import Pane
from tui.widgets.empty_state import EmptyState

EMPTY_TITLE = "No duplicate groups yet"
EMPTY_BODY = (
    "Copies of the same photo — exact copies, resized or recompressed versions, rotated ones — "
    "will be grouped here for review, the best copy kept and the others moved to a trash you "
    "can restore from. Run [b]shoebox dupes[/] after indexing to find them.\n\n"
    "Exact copies (identical bytes) show up here as soon as they are indexed."
)


class DuplicatesPane(Pane):
    """Groups of duplicate files; search filters them by path."""

    PANE_ID = "duplicates"
    TITLE = "Duplicates"
    KEY = "4"
    SEARCH_HINT = "words in a file's path"

    @dataclass
    class _Loaded(Message):
        groups: list[CopyGroup]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._groups: list[CopyGroup] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="duplicates-heading")
        yield OptionList(id="duplicates-list")
        yield EmptyState(EMPTY_TITLE, EMPTY_BODY, id="duplicates-empty")

    def on_mount(self) -> None:
        self.query_one("#duplicates-list").display = False
        self.query_one("#duplicates-heading").display = False
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates", description="Finding exact copies")
    def _load(self) -> None:
        self.post_message(self._Loaded(exact_copy_groups(self.library.db)))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self._groups = message.groups
        self._show()

    def search(self, text: str) -> str | None:
        self.search_text = text
        self._show()
        return None

    def _show(self) -> None:
        needle = self.search_text.strip().lower()
        groups = [g for g in self._groups if not needle or any(needle in p.lower() for p in g.paths)]
        listing = self.query_one("#duplicates-list", OptionList)
        heading = self.query_one("#duplicates-heading", Static)
        empty = self.query_one("#duplicates-empty", EmptyState)
        listing.clear_options()
        listing.add_options(Option(_group_text(g), id=g.sha256) for g in groups)
        listing.display = heading.display = bool(groups)
        empty.display = not groups
        if self._groups and not groups:
            empty.update(f"No duplicates match “{self.search_text}”", "Press [b]escape[/] in the search bar to see them all.")
        heading.update(
            f"[b]{plural(len(self._groups), 'group')} of exact copies[/]  [dim](identical bytes)[/]"
        )
        self.post_message(self.Summary(self, plural(len(self._groups), "group") + " of exact copies"))

    def focus_content(self) -> None:
        listing = self.query_one("#duplicates-list", OptionList)
        if listing.display:
            listing.focus()
        else:
            self.app.set_focus(None)


def _group_text(group: CopyGroup) -> Text:
    text = Text(f"{group.count} copies of {os.path.basename(group.paths[0])}", style="bold")
    for path in group.paths:
        text.append(f"\n  {tidy_path(path)}", style="dim")
    return text
