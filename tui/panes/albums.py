"""The albums pane: albums from the catalog with their sizes, or how to make one."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.catalog import table_exists
from core.collections import Album, list_albums
from tui.formatting import plural
from tui.panes.base import HelpSection, Pane
from tui.widgets.album_list import AlbumList
from tui.widgets.empty_state import EmptyState


class AlbumsPane(Pane):
    """Albums (when the catalog has any); search filters them by name; enter opens one in the timeline."""

    PANE_ID = "albums"
    TITLE = "Albums"
    KEY = "2"
    SEARCH_HINT = "part of an album's name"

    @dataclass
    class OpenAlbum(Message):
        """The user chose an album: the app shows its photos in the timeline."""

        album: Album

    @dataclass
    class _Loaded(Message):
        albums: list[Album]

    @classmethod
    def help_sections(cls) -> list[HelpSection]:
        """The album list's keys (the pane itself has none)."""
        return [(cls.TITLE, AlbumList)]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._albums: list[Album] = []

    def compose(self) -> ComposeResult:
        yield AlbumList(id="albums-list")
        yield EmptyState(
            "No albums yet",
            "Albums collect photos from anywhere in your library without moving or copying them. "
            "They will be listed here with their photo counts once you make one from a shell: "
            "[b]shoebox album create NAME[/], then [b]shoebox album add NAME PATH…[/]",
            id="albums-empty",
        )

    def on_mount(self) -> None:
        self.query_one("#albums-list").display = False
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="albums", description="Reading albums")
    def _load(self) -> None:
        db = self.library.db
        albums = list_albums(db) if table_exists(db, "albums") else []
        self.post_message(self._Loaded(albums))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self._albums = message.albums
        self._show()
        if self.app.focused is None and self.display:
            self.focus_content()  # the list arrived after the pane was shown

    def search(self, text: str) -> str | None:
        self.search_text = text
        self._show()
        return None

    def _show(self) -> None:
        needle = self.search_text.strip().lower()
        albums = [a for a in self._albums if needle in a.name.lower()]
        listing = self.query_one("#albums-list", OptionList)
        empty = self.query_one("#albums-empty", EmptyState)
        before = listing.highlighted_option.id if listing.highlighted_option is not None else None
        listing.clear_options()
        listing.add_options(
            Option(Text.assemble(a.name, "  ", (plural(a.count, "photo"), "dim")), id=str(a.id)) for a in albums
        )
        listing.display = bool(albums)
        if albums:  # keep the highlight on the same album, else the first: enter always has one to open
            ids = [str(a.id) for a in albums]
            listing.highlighted = ids.index(before) if before in ids else 0
        empty.display = not albums
        if self._albums and not albums:
            empty.update(
                f"No album matches “{self.search_text}”", "Press [b]escape[/] in the search bar to see them all."
            )
        self.post_message(self.Summary(self, plural(len(self._albums), "album")))

    @on(OptionList.OptionSelected, "#albums-list")
    def _album_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id)

    def _open(self, option_id: str | None) -> None:
        album = next((a for a in self._albums if str(a.id) == option_id), None)
        if album is not None:
            self.post_message(self.OpenAlbum(album))

    def focus_content(self) -> None:
        listing = self.query_one("#albums-list", OptionList)
        if listing.display:
            listing.focus()
        else:
            self.app.set_focus(None)
