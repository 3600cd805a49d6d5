"""One member of a duplicate group: keep/trash mark, name, folder, size — and a preview when there is room."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from core.duplicates import MemberDetails
from tui.formatting import ellipsize, human_size, left_ellipsize, tidy_path

THUMB_COLUMNS = 24
THUMB_ROWS = 8


class Thumbnail(Widget):
    """Half-block strips made in a worker (:func:`tui.previews.halfcell.image_to_strips`)."""

    DEFAULT_CSS = f"""
    Thumbnail {{ width: {THUMB_COLUMNS}; height: {THUMB_ROWS}; color: $text-muted; }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strips: list[Strip] | None = None
        self._message = "…"

    def show(self, strips: list[Strip] | None) -> None:
        self._strips = strips
        self._message = "" if strips else "no preview"
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if self._strips is not None and y < len(self._strips):
            return self._strips[y]
        if y == THUMB_ROWS // 2 and self._message:
            text = self._message.center(self.size.width)
            return Strip([Segment(text, Style(dim=True))], self.size.width)
        return Strip.blank(self.size.width)


def folder_text(member: MemberDetails, width: int) -> str:
    """The copy's folder (``~/Pictures/Copies``), its start cut first when it is long."""
    return left_ellipsize(tidy_path(member.photo.folder), max(8, width))


def facts_text(member: MemberDetails) -> str:
    """``97.8 KB · 1024×768 · jpeg``."""
    photo = member.photo
    width, height = photo.upright_size
    parts = [human_size(photo.size)]
    if width and height:
        parts.append(f"{width}×{height}")
    if photo.format:
        parts.append(photo.format)
    return " · ".join(parts)


class MemberCard(Vertical):
    """Keep/trash mark, name, folder, size and pixels; the preview hides on a short screen."""

    DEFAULT_CSS = """
    MemberCard {
        width: 1fr;
        min-width: 28;
        height: auto;
        padding: 0 1;
        border: round $panel;
        &.-current { border: round $accent; }
        &.-keep { background: $success 10%; }
        & > .member-card--mark { height: 1; text-style: bold; }
        & > .member-card--name { height: 1; }
        & > .member-card--folder { height: 1; color: $text-muted; }
        & > .member-card--facts { height: 1; color: $text-muted; }
    }
    """

    def __init__(self, member: MemberDetails, index: int) -> None:
        super().__init__()
        self.member = member
        self.index = index
        self.thumbnail = Thumbnail()
        self._mark = Static("", classes="member-card--mark", markup=False)
        self._folder = Static("", classes="member-card--folder", markup=False)

    def compose(self) -> ComposeResult:
        yield self._mark
        yield self.thumbnail
        yield Static(
            Text(ellipsize(f"{self.index + 1}. {self.member.photo.name}", 60), style="bold"),
            classes="member-card--name",
            markup=False,
        )
        yield self._folder
        yield Static(facts_text(self.member), classes="member-card--facts", markup=False)

    def set_state(self, *, keep: bool, suggested: bool, marked: bool, current: bool, width: int = 36) -> None:
        """Show whether this copy stays or goes to the trash, and whether the cursor is on it.

        ``width``: the room for the folder line (the pane knows it before the card is laid out).
        """
        self.set_class(current, "-current")
        self.set_class(keep, "-keep")
        if keep and marked:
            label = Text("✓ KEEP (marked)", style="bold green")
        elif keep:
            label = Text("★ KEEP (suggested)", style="bold green")
        elif self.member.reference:
            label = Text("◆ stays (reference folder)", style="bold cyan")
        else:
            label = Text("✗ to trash", style="bold red")
        if suggested and not keep:
            label.append("  was suggested", style="dim")
        self._mark.update(label)
        self._folder.update(folder_text(self.member, width))
