"""The top line: the app's name and the four panes, the current one highlighted."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class PaneTabs(Static):
    """``Shoebox  1 Timeline  2 Albums  3 People  4 Duplicates`` (click or press the number)."""

    DEFAULT_CSS = """
    PaneTabs {
        height: 1;
        background: $panel;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    current: reactive[str] = reactive("timeline")

    def __init__(self, panes: list[tuple[str, str, str]], *, id: str | None = None) -> None:
        """``panes``: (pane id, key, title) in order."""
        super().__init__(id=id)
        self._panes = panes

    def render(self) -> str:
        parts = ["[b $text-accent] Shoebox [/]"]
        for pane_id, key, title in self._panes:
            label = f"{key} {title}"
            if pane_id == self.current:
                parts.append(f"[@click=app.show_pane('{pane_id}')][reverse b] {label} [/][/]")
            else:
                parts.append(f"[@click=app.show_pane('{pane_id}')] {label} [/]")
        return " ".join(parts)
