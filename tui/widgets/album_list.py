"""The albums pane's list: an OptionList whose enter says what it does (opens the album)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


class AlbumList(OptionList):
    """Albums, one per line; ``enter`` selects (the pane opens it in the timeline)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="albums.open", tooltip="Show the album's photos in the timeline"),
    ]
