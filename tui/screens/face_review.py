"""The review queue: "is this Alice?" — a face beside the person's own face, one key each.

The queue is :func:`core.people.suggestions` (automatic faces of named persons, least sure
first). ``y`` confirms (:func:`core.people.confirm_face`), ``n`` rejects (``reject_face``:
the face leaves the person for good), ``s`` skips (it comes back next time). The next face
shows at once: the answer is saved on a worker, and the crops of the faces after it are
drawn ahead. ``u`` takes back the last answer (the face is asked again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from core.catalog import Database
from core.library import Library
from core.people import (
    FaceRecord,
    Suggestion,
    confirm_face,
    get_face,
    list_faces,
    reject_face,
    suggestions,
)  # fmt: skip
from tui.people_corrections import PeopleChanged, run_correction, run_undo
from tui.widgets.empty_state import EmptyState
from tui.widgets.people.face_crops import MISSING, CropKey, CropStrips, FaceCrops
from tui.widgets.people.face_picture import FacePicture
from tui.widgets.people.labels import person_caption, person_label, photo_name
from tui.worker_errors import ReportsWorkerErrors

#: Each of the two crops, in cells (24×12 cells: a 24×24 pixel square; fits 80×24).
REVIEW_CELLS = (24, 12)
#: Faces read per batch of the queue.
BATCH = 50
#: Faces after the current one whose crops are drawn ahead.
AHEAD = 3


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One question: the suggestion and the face its person is shown by."""

    suggestion: Suggestion
    avatar: FaceRecord | None


def reference_face(db: Database, suggestion: Suggestion) -> FaceRecord | None:
    """The face the person is shown by beside the one asked about: the avatar, unless that is the
    face asked about — then the person's surest other face (confirmed ones first)."""
    person = suggestion.person
    if person.avatar_face_id is not None and person.avatar_face_id != suggestion.face.id:
        return get_face(db, person.avatar_face_id)
    others = [f for f in list_faces(db, person_id=person.id) if f.id != suggestion.face.id]
    others.sort(key=lambda f: (f.source != "manual", f.distance if f.distance is not None else 0.0, f.id))
    return others[0] if others else None


class FaceReviewScreen(ReportsWorkerErrors, Screen[bool]):
    """One face at a time; dismisses with whether any answer was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", "Yes", id="review.yes", tooltip="Yes, this is them (confirmed: no re-grouping moves it)"),
        Binding("n", "answer('no')", "No", id="review.no", tooltip="No, this is not them (it leaves the person for good)"),
        Binding("s", "answer('skip')", "Skip", id="review.skip", tooltip="Not sure: ask again next time"),
        Binding("u", "undo", "Undo", id="review.undo", tooltip="Take back the last answer; the face is asked again"),
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to the people"),
    ]  # fmt: skip

    @dataclass
    class _Loaded(Message):
        items: list[ReviewItem]

    @dataclass
    class _CropsReady(Message):
        crops: dict[CropKey, CropStrips]

    def __init__(self, library: Library, crops: FaceCrops) -> None:
        super().__init__()
        self.library = library
        self.crops = crops
        self.items: list[ReviewItem] = []
        self.position = 0
        self.loaded = False
        self.answered = 0
        self.skipped: set[int] = set()
        """Face ids skipped in this session (not asked again until the queue is opened again)."""
        self.changed = False
        self._drawing: set[CropKey] = set()

    def compose(self) -> ComposeResult:
        yield Static("", id="review-title")
        with Horizontal(id="review-body"):
            with Vertical(classes="review-side"):
                yield FacePicture(self.crops, REVIEW_CELLS, id="review-face")
                yield Static("", id="review-face-caption", classes="review-caption")
            with Vertical(classes="review-side"):
                yield FacePicture(self.crops, REVIEW_CELLS, id="review-avatar")
                yield Static("", id="review-avatar-caption", classes="review-caption")
        yield EmptyState("Reading the faces to review…", id="review-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review-body").display = False
        self._load(set(self.skipped))

    # --- The queue ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="review", description="Reading the review queue")
    def _load(self, skipped: set[int]) -> None:
        db = self.library.db
        items = [ReviewItem(s, reference_face(db, s)) for s in suggestions(db, limit=BATCH + len(skipped))
                 if s.face.id not in skipped]  # fmt: skip
        self.post_message(self._Loaded(items[:BATCH]))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        self.items, self.position, self.loaded = message.items, 0, True
        self._show()

    @property
    def current(self) -> ReviewItem | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def _show(self) -> None:
        item = self.current
        body, empty = self.query_one("#review-body"), self.query_one("#review-empty", EmptyState)
        body.display, empty.display = item is not None, item is None
        title = self.query_one("#review-title", Static)
        if item is None:
            done = f"{self.answered:,} answered" + (f", {len(self.skipped):,} skipped" if self.skipped else "")
            empty.update("Nothing left to review" if not self.answered else f"All done: {done}",
                         "Faces of named persons that Shoebox placed by itself are asked about here, least sure first. "
                         "Press [b]escape[/] to go back.")  # fmt: skip
            title.update(Text(" Review", style="bold"))
            self.refresh_bindings()
            return
        suggestion = item.suggestion
        name = person_label(suggestion.person)
        title.update(Text.assemble(" Is this ", (name, "bold"), "?",
                                   (f"   {self.position + 1} of {len(self.items):,} · least sure first", "dim")))  # fmt: skip
        self.query_one("#review-face", FacePicture).show(suggestion.face)
        self.query_one("#review-avatar", FacePicture).show(item.avatar)
        self.query_one("#review-face-caption", Static).update(
            Text.assemble(photo_name(suggestion.face), "\n", (f"distance {suggestion.distance:.2f}", "dim"))
        )
        self.query_one("#review-avatar-caption", Static).update(
            Text.assemble((name, "bold"), "\n", (person_caption(suggestion.person), "dim"))
        )
        self._draw_ahead()
        self.refresh_bindings()

    def _draw_ahead(self) -> None:
        """Draw the crops of this face and the next few (and their persons' faces) on a worker."""
        wanted: dict[CropKey, FaceRecord] = {}
        for item in self.items[self.position : self.position + 1 + AHEAD]:
            for face in (item.suggestion.face, item.avatar):
                key = (face.id, *REVIEW_CELLS) if face is not None else None
                if face is not None and key not in self._drawing and self.crops.get(key) is MISSING:
                    wanted[key] = face
        if wanted:
            self._drawing |= wanted.keys()
            self._draw(list(wanted.items()), self.query_one("#review-face").background_colors[1].rgb)

    @work(
        thread=True, exclusive=False, exit_on_error=False, group="review-crops", description="Drawing faces to review"
    )
    def _draw(self, wanted: list[tuple[CropKey, FaceRecord]], background: tuple[int, int, int]) -> None:
        for key, face in wanted:  # one message a crop: the face shown first is on screen at once
            self.post_message(self._CropsReady({key: self.crops.draw(face, key[1], key[2], background)}))

    @on(_CropsReady)
    def _crops_ready(self, message: _CropsReady) -> None:
        self.crops.accept(message.crops)
        self._drawing -= message.crops.keys()
        for picture in self.query(FacePicture):
            if picture.key in message.crops:
                picture.refresh()

    @property
    def is_settled(self) -> bool:
        return self.loaded and not self._drawing

    # --- Answers ------------------------------------------------------------------------

    def action_answer(self, answer: str) -> None:
        item = self.current
        if item is None:
            return
        face_id = item.suggestion.face.id
        if answer == "skip":
            self.skipped.add(face_id)
        else:
            self.answered += 1
            run_correction(
                self, lambda: self._save(face_id, answer == "yes"), description="Saving an answer", announce=False
            )
        self.position += 1
        if self.position >= len(self.items) and len(self.items) >= BATCH:
            self._load(set(self.skipped))  # more may wait beyond this batch
        self._show()

    def _save(self, face_id: int, yes: bool) -> str:
        """Confirm or reject the face (worker thread)."""
        (confirm_face if yes else reject_face)(self.library.db, face_id)
        return "confirmed" if yes else "rejected"

    def action_undo(self) -> None:
        run_undo(self, self.library)

    def action_back(self) -> None:
        self.dismiss(self.changed)

    @on(PeopleChanged)
    def _changed(self, message: PeopleChanged) -> None:
        message.stop()
        self.changed = True
        if message.tag == "undo":  # the face taken back is asked again, where it belongs in the queue
            self.answered = max(0, self.answered - 1)
            self._load(set(self.skipped))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.current is not None or None
        return True
