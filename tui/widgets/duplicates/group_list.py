"""The list of duplicate groups, largest savings first: kind, count, reclaimable size."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.duplicates import DuplicateGroup
from tui.formatting import ellipsize, human_size


def group_label(group: DuplicateGroup, width: int = 30) -> Text:
    """Two lines: ``exact · 3 copies · 4.2 MB`` and the keeper's file name."""
    kind = "exact" if group.kind == "exact" else f"near ≤{group.distance}"
    text = Text()
    text.append(f"{kind:<8}", style="bold" if group.kind == "exact" else "bold italic")
    text.append(f" {len(group.photos)} files ")
    text.append(human_size(group.savings), style="bold")
    text.append(f"\n  {ellipsize(group.keeper.name, max(4, width - 2))}", style="dim")
    return text


class GroupList(OptionList):
    """Groups as options whose ids are the groups' keys."""

    DEFAULT_CSS = """
    GroupList {
        width: 34;
        height: 1fr;
        border: none;
        background: $background;
        border-right: tall $panel;
    }
    """

    def show_groups(self, groups: list[DuplicateGroup], keep_key: str | None = None) -> None:
        """Replace the options, keeping the highlight on ``keep_key`` (or the same row)."""
        old = self.highlighted
        self.clear_options()
        self.add_options(Option(group_label(g), id=g.key) for g in groups)
        if not groups:
            return
        keys = [g.key for g in groups]
        if keep_key in keys:
            self.highlighted = keys.index(keep_key)
        else:
            self.highlighted = min(old or 0, len(groups) - 1)
