"""The app's four panes (timeline, albums, people, duplicates), one per file."""

from tui.panes.albums import AlbumsPane
from tui.panes.base import Pane
from tui.panes.duplicates import DuplicatesPane
from tui.panes.people import PeoplePane
from tui.panes.timeline import TimelinePane

__all__ = ["AlbumsPane", "DuplicatesPane", "Pane", "PeoplePane", "TimelinePane"]
