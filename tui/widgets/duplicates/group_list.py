"""The list of duplicate groups, largest savings first: kind, count, reclaimable size, keeper's name."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.duplicates import DuplicateGroup
from tui.formatting import ellipsize, human_size


def group_label(group: DuplicateGroup, width: int = 30, *, compact: bool = False) -> Text:
    """``exact · 3 copies · 4.2 MB`` and the keeper's file name: two lines, or one (``compact``)."""
    kind = "exact" if group.kind == "exact" else f"near ≤{group.distance}"
    text = Text()
    text.append(f"{kind:<8}", style="bold" if group.kind == "exact" else "bold italic")
    text.append(f" {len(group.photos)} files ")
    text.append(f"{human_size(group.savings):>8}", style="bold")
    if group.confident:
        text.append(" ✓", style="green")
    if compact:
        text.append(f"  {ellipsize(group.keeper.name, max(4, width - len(text) - 2))}", style="dim")
    else:
        text.append(f"\n  {ellipsize(group.keeper.name, max(4, width - 2))}", style="dim")
    return text


class GroupList(OptionList):
    """Groups as options whose ids are the groups' keys.

    Not focusable: the duplicates pane owns every key (``↑``/``↓``, ``j``/``k``) so that
    the same keys work wherever the focus was; a click still picks a group.
    """

    can_focus = False

    DEFAULT_CSS = """
    GroupList {
        width: 34;
        height: 1fr;
        border: none;
        background: $background;
        border-right: tall $panel;
    }
    """

    def show_groups(self, groups: list[DuplicateGroup], index: int, *, compact: bool = False, width: int = 30) -> None:
        """Replace the options and highlight row ``index`` (``width``: the room for a label)."""
        self.clear_options()
        self.add_options(Option(group_label(g, width, compact=compact), id=g.key) for g in groups)
        if groups:
            self.highlighted = min(index, len(groups) - 1)
