"""The people pane: faces grouped into people (a later feature; for now, what will come)."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.panes.base import Pane
from tui.widgets.empty_state import EmptyState


class PeoplePane(Pane):
    """People found in the photos; empty until face grouping exists."""

    PANE_ID = "people"
    TITLE = "People"
    KEY = "3"

    def compose(self) -> ComposeResult:
        yield EmptyState(
            "No people yet",
            "Shoebox will find the faces in your photos after indexing and group them into people: "
            "name a person once and find every photo of them here.\n\n"
            "Face grouping is not part of this version yet; the timeline ([b]1[/]) has all your photos.",
            id="people-empty",
        )
