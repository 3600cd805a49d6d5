"""The app's panes (timeline, albums, people, duplicates), one per file, in tab order.

Adding a pane: subclass :class:`~tui.panes.base.Pane` and add it to :data:`PANES`.
"""

from tui.panes.albums import AlbumsPane
from tui.panes.base import Pane
from tui.panes.duplicates import DuplicatesPane
from tui.panes.people import PeoplePane
from tui.panes.timeline import TimelinePane

#: Every pane in tab order: the app builds them, their 1–4 keys, tabs and help sections from this.
PANES: tuple[type[Pane], ...] = (TimelinePane, AlbumsPane, PeoplePane, DuplicatesPane)

__all__ = ["PANES", "AlbumsPane", "DuplicatesPane", "Pane", "PeoplePane", "TimelinePane"]
