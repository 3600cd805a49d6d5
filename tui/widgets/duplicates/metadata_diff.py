"""The metadata of every member side by side; rows whose values differ are highlighted."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from core.duplicates import MemberDetails
from tui.formatting import human_size, tidy_path

#: (label, field compared by core.duplicates.differing_fields) in display order.
ROWS = (
    ("Size", "size"),
    ("Pixels", "pixels"),
    ("Format", "format"),
    ("Date", "taken_at"),
    ("Camera", "camera"),
    ("GPS", "gps"),
    ("Folder", "folder"),
    ("Root", "root"),
    ("Albums", "albums"),
    ("Tags", "tags"),
    ("Rating", "rating"),
)


def field_text(member: MemberDetails, name: str) -> str:
    """How one field of one member reads in the table."""
    photo = member.photo
    if name == "size":
        return human_size(photo.size)
    if name == "pixels":
        width, height = photo.upright_size
        return f"{width}×{height}" if width and height else "—"
    if name == "format":
        return photo.format or "—"
    if name == "taken_at":
        return (photo.taken_at or "—").replace("T", " ")
    if name == "camera":
        return photo.camera or "—"
    if name == "gps":
        return (
            f"{photo.gps_lat:.4f}, {photo.gps_lon:.4f}"
            if photo.gps_lat is not None and photo.gps_lon is not None
            else "—"
        )
    if name == "folder":
        return tidy_path(photo.folder)
    if name == "root":
        root = tidy_path(member.root) if member.root else "—"
        return f"{root} (reference)" if member.reference else root
    if name in ("albums", "tags"):
        values = member.albums if name == "albums" else member.tags
        return ", ".join(values) if values else "—"
    if name == "rating":
        return "★" * member.rating if member.rating else "—"
    return str(member.value(name))


def diff_table(members: list[MemberDetails], differing: set[str], current: int) -> Table:
    """A column per member (the current one's header highlighted); ≠ marks differing rows.

    Rows that differ come first: on a short screen they are the ones in view.
    """
    table = Table(box=None, padding=(0, 1), expand=True, show_edge=False)
    table.add_column("", no_wrap=True, style="dim")
    for index, member in enumerate(members):
        header = Text(f"{index + 1}. {member.photo.name}", style="bold reverse" if index == current else "bold")
        table.add_column(header, ratio=1, overflow="fold")
    for label, name in sorted(ROWS, key=lambda row: row[1] not in differing):
        differs = name in differing
        cells = [Text(field_text(m, name), style="bold yellow" if differs else "") for m in members]
        table.add_row(Text(("≠ " if differs else "  ") + label, style="bold yellow" if differs else "dim"), *cells)
    return table


class MetadataDiff(Static):
    """The side-by-side table (see :func:`diff_table`)."""

    DEFAULT_CSS = """
    MetadataDiff { height: auto; padding: 0 1; }
    """

    def show(self, members: list[MemberDetails], differing: set[str], current: int) -> None:
        self.update(diff_table(members, differing, current) if members else "")
