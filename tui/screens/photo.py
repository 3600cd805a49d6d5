"""The photo view: one photo as large as the terminal allows, with its metadata.

``left``/``right`` walk the list the photo was opened from (the timeline, filtered by the
current search); ``escape`` returns there, on the photo last shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PIL import Image
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from core.catalog import Photo, TimelineIndex, get_photo, photos_at
from core.collections import (
    Annotations,
    CollectionError,
    annotations_of,
    set_albums_of,
    set_favourite,
    set_rating,
    set_tags_of,
)
from core.library import Library
from core.media import UnreadableMedia, load_upright
from core.xmp import sidecar_path
from tui.formatting import when_text
from tui.previews.mode import PreviewMode
from tui.screens.names_dialog import NamesDialog, library_names
from tui.sidecars import keep_sidecars_in_step
from tui.widgets.metadata_panel import MetadataPanel
from tui.widgets.people.photo_faces import PhotoFaces
from tui.widgets.photo_preview import PhotoPreview, fit_cells, scale_for_cells
from tui.worker_errors import ReportsWorkerErrors

#: Longest side decoded for the preview; a 4K terminal with sixel needs about this much.
DECODE_SIDE = {PreviewMode.HALFCELL: 640, PreviewMode.SIXEL: 2048, PreviewMode.TGP: 2048}


class PhotoScreen(ReportsWorkerErrors, Screen[int]):
    """One photo; dismisses with the position of the photo last shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="photo.back", tooltip="Back to the timeline, on this photo"),
        Binding("left", "previous", "Previous", id="photo.previous", tooltip="The previous photo in the list"),
        Binding("right", "next", "Next", id="photo.next", tooltip="The next photo in the list"),
        Binding("h", "previous", "Previous", show=False, id="photo.previous-vi", tooltip="The previous photo in the list"),
        Binding("l", "next", "Next", show=False, id="photo.next-vi", tooltip="The next photo in the list"),
        Binding("i", "toggle_info", "Info", id="photo.toggle-info", tooltip="Show or hide the metadata panel"),
        Binding("f", "toggle_favourite", "Favourite", id="photo.favourite", tooltip="Mark or unmark this photo as a favourite"),
        Binding("t", "edit_tags", "Tags", id="photo.tags", tooltip="Add or remove this photo's tags"),
        Binding("A", "edit_albums", "Albums", id="photo.albums", tooltip="Put this photo in albums, or take it out"),
        Binding("p", "name_face", "Name face", id="photo.name-face", tooltip="Say who a face in this photo is (the faces line lists them)"),
        *(Binding(str(n), f"rate({n})", f"Rate {n}" if n else "Clear rating", show=False, id=f"photo.rate-{n}",
                  tooltip=f"Give this photo {n} star{'s' if n != 1 else ''}" if n else "Clear this photo's rating")
          for n in range(6)),
    ]  # fmt: skip

    offset: reactive[int] = reactive(0, init=False)
    """Position of the shown photo in the list."""

    @dataclass
    class _PhotoLoaded(Message):
        offset: int
        photo: Photo | None

    @dataclass
    class _NotesLoaded(Message):
        photo_id: int
        notes: Annotations
        sidecar: str | None = None

    @dataclass
    class _ImageReady(Message):
        offset: int
        image: Image.Image | None
        reason: str | None

    @dataclass
    class _PictureReady(Message):
        offset: int
        picture: Image.Image
        cells: tuple[int, int]

    def __init__(
        self,
        library: Library,
        index: TimelineIndex,
        offset: int,
        *,
        first: Photo | None = None,
        preview_mode: PreviewMode = PreviewMode.HALFCELL,
    ) -> None:
        super().__init__()
        self.library = library
        self.index = index
        self.preview_mode = preview_mode
        self.photo: Photo | None = first
        self.notes: Annotations | None = None
        """What the user added to the shown photo (rating, favourite, albums, tags), once read."""
        self.marks_changed = False
        """Whether a rating, favourite, tag or album was changed here (the timeline then re-reads)."""
        self._source: Image.Image | None = None
        self.set_reactive(PhotoScreen.offset, offset)

    def compose(self) -> ComposeResult:
        yield Static("", id="photo-title")
        with Horizontal(id="photo-body"):
            yield PhotoPreview(self.preview_mode, id="photo-preview")
            yield MetadataPanel(id="photo-metadata")
        yield PhotoFaces(self.library, id="photo-faces")
        yield Footer()

    def on_mount(self) -> None:
        self._show_photo(self.photo)

    def watch_offset(self) -> None:
        self.refresh_bindings()

    # --- Loading -----------------------------------------------------------------------

    def _show_photo(self, photo: Photo | None) -> None:
        """Show the metadata now and start decoding the picture."""
        self.query_one(PhotoPreview).show_message("Loading…")
        self._source = None
        if photo is None:
            self._load_photo(self.offset)
        else:
            self.post_message(self._PhotoLoaded(self.offset, photo))

    @work(thread=True, exclusive=True, exit_on_error=False, group="photo-row", description="Reading the photo's row")
    def _load_photo(self, offset: int) -> None:
        found = photos_at(self.library.db, self.index, offset, 1)
        self.post_message(self._PhotoLoaded(offset, found[0] if found else None))

    @on(_PhotoLoaded)
    def _photo_loaded(self, message: _PhotoLoaded) -> None:
        if message.offset != self.offset:
            return
        self.photo = message.photo
        self.notes = None
        self._update_title()
        self.query_one(MetadataPanel).show(message.photo)
        if message.photo is not None:
            self._load_notes(message.photo.id)
        self.query_one(PhotoFaces).show_photo(message.photo.id if message.photo is not None else None)
        preview = self.query_one(PhotoPreview)
        if message.photo is None:
            preview.show_message("This photo is no longer in the catalog.")
        elif message.photo.kind == "video":
            preview.show_message("▶ A video — Shoebox catalogues videos but does not play them.")
        else:
            self._decode(message.offset, message.photo, preview.area)

    @work(
        thread=True, exclusive=True, exit_on_error=False, group="photo-notes", description="Reading ratings and albums"
    )
    def _load_notes(self, photo_id: int) -> None:
        self._post_notes(photo_id)

    def _post_notes(self, photo_id: int) -> None:
        """Read the photo's annotations and find its XMP sidecar (in a worker thread); hand them to the UI."""
        notes = annotations_of(self.library.db, [photo_id])[photo_id]
        photo = get_photo(self.library.db, photo_id)
        path, exists = sidecar_path(photo.fs_path) if photo is not None else ("", False)
        self.post_message(self._NotesLoaded(photo_id, notes, path if exists else None))

    @on(_NotesLoaded)
    def _notes_loaded(self, message: _NotesLoaded) -> None:
        if self.photo is not None and self.photo.id == message.photo_id:
            self.notes = message.notes
            self.query_one(MetadataPanel).show(self.photo, message.notes, message.sidecar)
            self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="photo-decode", description="Decoding the photo")
    def _decode(self, offset: int, photo: Photo, area: tuple[int, int]) -> None:
        try:
            image = load_upright(photo.fs_path, max_side=DECODE_SIDE[self.preview_mode])
        except UnreadableMedia as exc:
            self.post_message(self._ImageReady(offset, None, str(exc)))
            return
        except OSError as exc:
            self.post_message(self._ImageReady(offset, None, f"cannot read the file: {exc.strerror or exc}"))
            return
        if get_current_worker().is_cancelled:
            return
        self.post_message(self._ImageReady(offset, image, None))
        self._fit(offset, image, area)

    def _fit(self, offset: int, image: Image.Image, area: tuple[int, int]) -> None:
        """Scale for the area (in the calling worker) and hand the picture over."""
        cells = fit_cells(image.size, area, self.preview_mode)
        picture = scale_for_cells(image, cells, self.preview_mode)
        self.post_message(self._PictureReady(offset, picture, cells))

    @work(thread=True, exclusive=True, exit_on_error=False, group="photo-decode", description="Fitting the photo")
    def _refit(self, offset: int, image: Image.Image, area: tuple[int, int]) -> None:
        self._fit(offset, image, area)

    @on(_ImageReady)
    def _image_ready(self, message: _ImageReady) -> None:
        if message.offset != self.offset:
            return
        self._source = message.image
        if message.image is None:
            self.query_one(PhotoPreview).show_message(f"No preview: {message.reason}")

    @on(_PictureReady)
    def _picture_ready(self, message: _PictureReady) -> None:
        if message.offset == self.offset:
            self.query_one(PhotoPreview).show_image(message.picture, message.cells)

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit_current)

    def _refit_current(self) -> None:
        if self._source is not None:
            self._refit(self.offset, self._source, self.query_one(PhotoPreview).area)

    def _update_title(self) -> None:
        photo = self.photo
        position = f"{self.offset + 1:,} of {self.index.total:,}"
        text = f" [b]{photo.name}[/b]  [dim]{when_text(photo)} · {position}[/]" if photo else f" {position}"
        self.query_one("#photo-title", Static).update(text)

    # --- Actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(self.offset)

    def action_previous(self) -> None:
        self._go(self.offset - 1)

    def action_next(self) -> None:
        self._go(self.offset + 1)

    def _go(self, offset: int) -> None:
        if 0 <= offset < self.index.total and offset != self.offset:
            self.offset = offset
            self.photo = None
            self._show_photo(None)

    def action_toggle_info(self) -> None:
        panel = self.query_one(MetadataPanel)
        panel.display = not panel.display
        self.call_after_refresh(self._refit_current)

    def action_rate(self, stars: int) -> None:
        if self.photo is not None and self.notes is not None:
            self._save_rating(self.photo.id, stars or None)

    def action_toggle_favourite(self) -> None:
        if self.photo is not None and self.notes is not None:
            self._save_favourite(self.photo.id, not self.notes.favourite)

    def action_edit_tags(self) -> None:
        self._edit_names("tags")

    def action_edit_albums(self) -> None:
        self._edit_names("albums")

    def action_name_face(self) -> None:
        self.query_one(PhotoFaces).name_face()

    def _edit_names(self, kind: str) -> None:
        """Open the names dialog on the photo's tags or albums; what is submitted is saved in a worker."""
        photo, notes = self.photo, self.notes
        if photo is None or notes is None:
            return
        known = library_names(self.library, kind)  # read by the dialog's worker: it opens at once
        if kind == "tags":
            current = notes.tags
            dialog = NamesDialog("Tags", current, known, "Comma-separated; tab completes a tag you have used.")
        else:
            current = notes.albums
            dialog = NamesDialog("Albums", current, known, "Comma-separated; a new name makes a new album.")

        def chosen(names: list[str] | None) -> None:
            if names is not None and names != current:
                self._save_names(photo.id, kind, names)

        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=False, exit_on_error=False, group="photo-marks", description="Saving tags and albums")
    def _save_names(self, photo_id: int, kind: str, names: list[str]) -> None:
        try:
            (set_tags_of if kind == "tags" else set_albums_of)(self.library.db, photo_id, names)
            self.marks_changed = True
            keep_sidecars_in_step(self.app, self.library, [photo_id])
        except CollectionError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error")  # posts a message: safe from a worker
        self._post_notes(photo_id)

    @work(thread=True, exclusive=False, exit_on_error=False, group="photo-marks", description="Saving the rating")
    def _save_rating(self, photo_id: int, rating: int | None) -> None:
        set_rating(self.library.db, [photo_id], rating)
        self.marks_changed = True
        keep_sidecars_in_step(self.app, self.library, [photo_id])
        self._post_notes(photo_id)

    @work(thread=True, exclusive=False, exit_on_error=False, group="photo-marks", description="Saving the favourite")
    def _save_favourite(self, photo_id: int, favourite: bool) -> None:
        set_favourite(self.library.db, [photo_id], favourite)
        self.marks_changed = True
        keep_sidecars_in_step(self.app, self.library, [photo_id])
        self._post_notes(photo_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "name_face":  # listed only for a photo with faces
            return bool(self.query_one(PhotoFaces).faces)
        if action in ("rate", "toggle_favourite", "edit_tags", "edit_albums"):
            return self.notes is not None or None
        if action == "previous":
            return self.offset > 0 or None
        if action == "next":
            return self.offset < self.index.total - 1 or None
        return True
