"""The timeline's side list: years → months → days with their photo counts.

Months and days are added only when their parent is expanded, so a library spanning
decades builds a tree of a few dozen nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Tree

from core.catalog import UNDATED, Period, TimelineIndex
from tui.formatting import short_period


@dataclass(frozen=True, slots=True)
class DateNode:
    """What a tree node stands for: a period and its granularity (year, month or day)."""

    period: Period
    level: str


class DateTree(Tree[DateNode]):
    """Years, months and days of the current timeline; selecting one jumps there."""

    DEFAULT_CSS = """
    DateTree { width: 24; border-right: tall $panel; padding: 0 1 0 0; }
    """

    @dataclass
    class Jump(Message):
        """Go to the first photo of a period."""

        tree: DateTree
        offset: int

        @property
        def control(self) -> DateTree:
            return self.tree

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Dates", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self._index: TimelineIndex | None = None

    def show_index(self, index: TimelineIndex) -> None:
        """Rebuild the years (collapsed) for a new timeline."""
        self._index = index
        self.clear()
        for year in index.years():
            self.root.add(_label(year), DateNode(year, "year"), allow_expand=year.key != UNDATED)

    @on(Tree.NodeExpanded)
    def _expand(self, event: Tree.NodeExpanded[DateNode]) -> None:
        node = event.node
        if node.data is None or node.children or self._index is None:
            return
        period, level = node.data.period, node.data.level
        if level == "year":
            months = [m for m in self._index.months() if m.key.startswith(period.key + "-")]
            for month in months:
                node.add(_label(month), DateNode(month, "month"))
        elif level == "month":
            days = [d for d in self._index.days if d.key.startswith(period.key + "-")]
            for day in days:
                node.add_leaf(_label(day), DateNode(day, "day"))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[DateNode]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Jump(self, event.node.data.period.first_offset))


def _label(period: Period) -> Text:
    text = Text(short_period(period.key))
    text.append(f" {period.count:,}", style="dim")
    return text
