"""The duplicates pane: review groups of copies, keep the best, trash the rest (undoable).

Groups come from :func:`core.duplicates.find_groups` (largest savings first) in a thread
worker; the selected group's members show side by side with a comparison of their metadata.
Where the review is — the group and copy under the cursor, the copies marked to keep, the
undo stack — lives in a plain :class:`core.duplicates.ReviewSession`; this pane turns keys
into its calls and workers into catalog calls.

Keys: ``↑``/``↓`` and ``j``/``k`` move between groups, ``←``/``→`` and ``h``/``l`` between
copies — none of them ever changes a file. ``d`` keeps the suggestion (or the copies marked
with ``space``) and trashes the others; ``A`` does it for every group whose suggestion all
signals agree on, after a confirmation; ``n`` says "not duplicates" (asking first for
byte-identical copies); ``u`` takes back the last of any of these, one at a time.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList, Static

from core.config import ConfigError
from core.duplicates import (
    DEFAULT_THRESHOLD,
    BulkPlan,
    Cancelled,
    Dismissed,
    DismissedGroup,
    DuplicateGroup,
    DuplicateSettings,
    FindProgress,
    KeeperChanged,
    MemberDetails,
    Resolution,
    Resolved,
    ReviewSession,
    Step,
    UndoOutcome,
    describe_members,
    differing_fields,
    dismiss_group,
    find_groups,
    forget_decision,
    list_dismissed,
    resolve_group,
    save_threshold,
    undo_step,
)
from core.xmp import failures
from tui.formatting import human_size, plural
from tui.panes.base import Pane
from tui.previews.halfcell import image_to_strips
from tui.previews.thumbs import load_thumbnail
from tui.widgets.duplicates.confirm_dialog import ConfirmDialog
from tui.widgets.duplicates.dismissed_dialog import DismissedDialog
from tui.widgets.duplicates.group_list import GroupList
from tui.widgets.duplicates.member_card import THUMB_COLUMNS, THUMB_ROWS, MemberCard
from tui.widgets.duplicates.metadata_diff import MetadataDiff
from tui.widgets.duplicates.threshold_dialog import ThresholdDialog
from tui.widgets.empty_state import EmptyState
from tui.worker_errors import WorkerNotice

EMPTY_TITLE = "No duplicate groups yet"
EMPTY_BODY = (
    "Copies of the same photo — exact copies, resized or recompressed versions, rotated ones — "
    "are grouped here for review: the best copy kept, the others moved to a trash you can "
    "restore from. Groups appear once photos are indexed (press [b]a[/] to add a folder); "
    "press [b]t[/] to look for less similar copies, [b]N[/] for groups marked not duplicates."
)
#: Below this width the group list goes above the group (one line per group).
NARROW_WIDTH = 110
#: Below this height the previews hide, so cards and comparison fit (80×24 shows everything).
SHORT_HEIGHT = 34


class DuplicatesPane(Pane):
    """Duplicate groups on the left (or on top), the current group's copies and their comparison."""

    can_focus = True

    PANE_ID = "duplicates"
    TITLE = "Duplicates"
    KEY = "4"
    SEARCH_HINT = "words in a file's path"

    DEFAULT_CSS = """
    DuplicatesPane {
        layout: vertical;
        & #duplicates-heading { height: 1; padding: 0 1; background: $panel; }
        & #duplicates-body { height: 1fr; }
        & #duplicates-detail { width: 1fr; height: 1fr; }
        & #duplicates-group-title { height: auto; padding: 0 1; }
        & #duplicates-members { height: auto; }
        & #duplicates-compare { height: 1fr; min-height: 3; }
        &.-narrow #duplicates-body { layout: vertical; }
        &.-narrow GroupList { width: 1fr; height: auto; max-height: 5; border-right: none; border-bottom: tall $panel; }
        &.-short Thumbnail { display: none; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "d",
            "resolve",
            "Trash others",
            id="duplicates.keep",
            tooltip="Keep the suggested (★) or marked (✓) copies; move the others to the trash (u undoes)",
        ),
        Binding(
            "space",
            "toggle_keeper",
            "Keep this",
            id="duplicates.mark",
            tooltip="Mark or unmark the highlighted copy as one to keep (u undoes)",
        ),
        Binding(
            "n",
            "not_duplicates",
            "Not dupes",
            id="duplicates.dismiss",
            tooltip="These are different photos: stop grouping them (u undoes; N lists them)",
        ),
        Binding(
            "u",
            "undo",
            "Undo",
            id="duplicates.undo",
            tooltip="Take back the last decision: files back from the trash, a dismissal, a keeper change",
        ),
        Binding(
            "A",
            "accept_confident",
            "Accept sure ones",
            id="duplicates.accept-confident",
            tooltip="Accept every suggestion all signals agree on (✓), after a confirmation; one u undoes them all",
        ),
        Binding(
            "s",
            "skip",
            "Skip",
            show=False,
            id="duplicates.skip",
            tooltip="Leave this group for later; go to the next one",
        ),
        Binding(
            "N",
            "show_dismissed",
            "Not-duplicates list",
            show=False,
            id="duplicates.dismissed",
            tooltip="Groups marked not duplicates; pick one to group it again",
        ),
        Binding(
            "t",
            "threshold",
            "Threshold",
            show=False,
            id="duplicates.threshold",
            tooltip="How similar near copies must be; then look again",
        ),
        Binding(
            "down,j",
            "next_group",
            "Next group",
            show=False,
            id="duplicates.next-group",
            tooltip="The next group (never changes a file)",
        ),
        Binding(
            "up,k",
            "previous_group",
            "Previous group",
            show=False,
            id="duplicates.previous-group",
            tooltip="The previous group (never changes a file)",
        ),
        Binding(
            "right,l,tab",
            "next_member",
            "Next copy",
            show=False,
            id="duplicates.next-member",
            tooltip="The next copy in this group",
        ),
        Binding(
            "left,h,shift+tab",
            "previous_member",
            "Previous copy",
            show=False,
            id="duplicates.previous-member",
            tooltip="The previous copy in this group",
        ),
        Binding(
            "pagedown",
            "scroll_compare(1)",
            "Scroll comparison down",
            show=False,
            id="duplicates.compare-down",
            tooltip="Scroll the metadata comparison",
        ),
        Binding(
            "pageup",
            "scroll_compare(-1)",
            "Scroll comparison up",
            show=False,
            id="duplicates.compare-up",
            tooltip="Scroll the metadata comparison",
        ),
    ]

    # --- Messages from the workers -------------------------------------------------------

    @dataclass
    class _Found(Message):
        groups: list[DuplicateGroup]
        threshold: int

    @dataclass
    class _ThresholdRead(Message):
        threshold: int

    @dataclass
    class _Progress(Message):
        text: str

    @dataclass
    class _Failed(Message):
        text: str
        finding: bool = False

    @dataclass
    class _Described(Message):
        key: str
        members: list[MemberDetails]
        differing: set[str]

    @dataclass
    class _Previews(Message):
        key: str
        strips: dict[int, list[Strip] | None] = field(default_factory=dict)

    @dataclass
    class _Resolved(Message):
        groups: list[DuplicateGroup]
        resolutions: list[Resolution]
        error: str | None = None

    @dataclass
    class _Undone(Message):
        outcome: UndoOutcome

    @dataclass
    class _UndoFailed(Message):
        step: Step
        text: str

    @dataclass
    class _Dismissed(Message):
        group: DuplicateGroup
        decision_id: int

    @dataclass
    class _DismissedList(Message):
        groups: list[DismissedGroup]

    @dataclass
    class _Undismissed(Message):
        decision_id: int

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.session = ReviewSession()
        self._members: list[MemberDetails] = []
        self._differing: set[str] = set()
        self._members_key: str | None = None
        self._threshold: int | None = None
        self._finding = False
        self._loaded_once = False
        self._busy = False
        self._cancel = threading.Event()
        self._previews: dict[str, dict[int, list[Strip] | None]] = {}
        self._cards: list[MemberCard] = []
        self._wanted_key: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="duplicates-heading")
        with Horizontal(id="duplicates-body"):
            yield GroupList(id="duplicates-groups")
            with Vertical(id="duplicates-detail"):
                yield Static("", id="duplicates-group-title")
                yield HorizontalScroll(id="duplicates-members", can_focus=False)
                with VerticalScroll(id="duplicates-compare", can_focus=False):
                    yield MetadataDiff(id="duplicates-diff")
        yield EmptyState(
            "Finding duplicates…", "Comparing every photo's bytes and picture hashes.", id="duplicates-empty"
        )

    def on_mount(self) -> None:
        self.query_one("#duplicates-body").display = False
        self.reload()

    def on_unmount(self) -> None:
        self._cancel.set()  # a search still running stops at its next check

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        changed = narrow != self.has_class("-narrow")
        self.set_class(narrow, "-narrow")
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")
        if changed and self.session.shown:
            self._fill_list()

    # --- Finding -----------------------------------------------------------------------

    @property
    def threshold(self) -> int:
        """Bits near copies may differ by: config.toml's, once the finding worker has read it."""
        return DEFAULT_THRESHOLD if self._threshold is None else self._threshold

    @property
    def finding(self) -> bool:
        return self._finding

    @property
    def busy(self) -> bool:
        """A decision or an undo is being carried out."""
        return self._busy

    def reload(self) -> None:
        self._cancel.set()
        self._cancel = threading.Event()
        self._finding = True
        self._show_heading()
        if not self._loaded_once:
            self._show_empty("Finding duplicates…", "Comparing every photo's bytes and picture hashes.")
        self._find(self._threshold, self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates", description="Finding duplicates")
    def _find(self, threshold: int | None, cancel: threading.Event) -> None:
        """Find the groups at ``threshold`` (None: config.toml's, read here, off the UI thread)."""
        last = 0.0

        def progress(p: FindProgress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.2 and p.total:
                last = now
                stage = "comparing hashes" if p.stage == "hashes" else "checking pictures"
                self.post_message(self._Progress(f"{stage} {p.done * 100 // p.total}%"))

        try:
            settings = DuplicateSettings.load(self.library.directory)
            if threshold is None:
                threshold = settings.threshold
                self.post_message(self._ThresholdRead(threshold))
            groups = find_groups(self.library, threshold, settings=settings, cancel=cancel, progress=progress)
        except Cancelled:
            return
        except Exception as exc:  # shown in the pane, not a crash
            self.post_message(self._Failed(f"Could not look for duplicates: {exc}", finding=True))
            return
        if not cancel.is_set():
            self.post_message(self._Found(groups, threshold))

    @on(_ThresholdRead)
    def _threshold_read(self, message: _ThresholdRead) -> None:
        if self._threshold is None:  # not changed with t meanwhile
            self._threshold = message.threshold
            self._show_heading()

    @on(_Progress)
    def _progress(self, message: _Progress) -> None:
        if self._finding:
            self._show_heading(message.text)

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        self._busy = False
        if message.finding:
            self._finding = False
            self._show_heading()
        self.app.notify(message.text, severity="error" if message.finding else "warning", timeout=8)
        if message.finding and not self.session.groups:
            self._show_empty("Duplicates could not be looked for", message.text)

    @on(_Found)
    def _found(self, message: _Found) -> None:
        self._finding = False
        self._loaded_once = True
        self.session.set_groups(message.groups)
        self._show(refresh=True)

    # --- Showing -----------------------------------------------------------------------

    @property
    def groups(self) -> list[DuplicateGroup]:
        """The groups listed now (after search)."""
        return list(self.session.shown)

    @property
    def current_group(self) -> DuplicateGroup | None:
        return self.session.current

    @property
    def current_member(self) -> MemberDetails | None:
        group = self.session.current
        if self._members and group is not None and self._members_key == group.key:
            return self._members[min(self.session.member_index, len(self._members) - 1)]
        return None

    def keep_ids(self, group: DuplicateGroup) -> set[int]:
        """What ``d`` keeps: the marked members, else the suggested keeper."""
        return self.session.keep_ids(group)

    def search(self, text: str) -> str | None:
        self.search_text = text
        self.session.filter(text)
        self._show()
        return None

    def _show(self, *, refresh: bool = False) -> None:
        """Show the session's groups: the list, the current group, the heading and summary."""
        shown = self.session.shown
        self._fill_list()
        self.query_one("#duplicates-body").display = bool(shown)
        self.query_one("#duplicates-empty").display = not shown
        if self.session.groups and not shown:
            self._show_empty(
                f"No duplicates match “{self.search_text}”", "Press [b]escape[/] in the search bar to see them all."
            )
        elif not self.session.groups:
            self._show_empty(EMPTY_TITLE, EMPTY_BODY + f"\n\nThreshold now: {self.threshold} bits of 64.")
        self._show_heading()
        self._group_changed(force=refresh)
        groups = self.session.groups
        total = sum(g.savings for g in groups)
        summary = (
            f"{plural(len(groups), 'duplicate group')}, {human_size(total)} to reclaim" if groups else "No duplicates"
        )
        self.post_message(self.Summary(self, summary))
        self.refresh_bindings()

    def _fill_list(self) -> None:
        narrow = self.has_class("-narrow")
        width = max(30, self.size.width - 4) if narrow else 30
        self.query_one(GroupList).show_groups(self.session.shown, self.session.index, compact=narrow, width=width)

    def _show_empty(self, title: str, body: str) -> None:
        empty = self.query_one("#duplicates-empty", EmptyState)
        empty.update(title, body)
        empty.display = True

    def _show_heading(self, progress: str = "") -> None:
        heading = self.query_one("#duplicates-heading", Static)
        groups = self.session.groups
        text = Text()
        if groups:
            total = sum(g.savings for g in groups)
            text.append(_groups_phrase(groups), style="bold")
            text.append(f" · {human_size(total)} to reclaim · threshold {self.threshold} bits")
        elif self._loaded_once:
            text.append("No duplicates found", style="bold")
            text.append(f" · threshold {self.threshold} bits (t to change)")
        if self._finding:
            text.append("  Finding duplicates… " + progress, style="italic")
        heading.update(text)

    @on(OptionList.OptionHighlighted, "#duplicates-groups")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.session.index:  # a click on the list
            self.session.select(event.option_index)
        self._group_changed()

    def _cursor_moved(self) -> None:
        """The session's cursor moved: highlight its group in the list and show it."""
        listing = self.query_one(GroupList)
        if self.session.shown and listing.highlighted != self.session.index:
            listing.highlighted = self.session.index  # posts OptionHighlighted → _group_changed
        self._group_changed()

    def _group_changed(self, *, force: bool = False) -> None:
        """Read the current group's details unless they are already read (or on the way)."""
        group = self.session.current
        if group is None:
            self._members, self._members_key, self._wanted_key = [], None, None
            self._render_group()
            return
        if group.key == self._wanted_key and not force:
            self._refresh_cards()
            return
        self._wanted_key = group.key
        if group.key != self._members_key:
            self._members, self._members_key = [], None
            self._render_group()
        self._describe(group, self.background_colors[1].rgb)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="duplicates-group",
        description="Reading a duplicate group",
    )
    def _describe(self, group: DuplicateGroup, background: tuple[int, int, int]) -> None:
        members = describe_members(self.library, group)
        self.post_message(self._Described(group.key, members, differing_fields(members)))
        if group.key in self._previews:
            return
        strips: dict[int, list[Strip] | None] = {}
        for photo in group.photos:
            image = load_thumbnail(self.library.thumbnails, photo, (THUMB_COLUMNS, THUMB_ROWS * 2))
            strips[photo.id] = (
                image_to_strips(image, THUMB_COLUMNS, THUMB_ROWS, background) if image is not None else None
            )
        self.post_message(self._Previews(group.key, strips))

    @on(_Described)
    def _described(self, message: _Described) -> None:
        if message.key != self._wanted_key:
            return
        self._members, self._members_key, self._differing = message.members, message.key, message.differing
        self._render_group()

    @on(_Previews)
    def _previews_ready(self, message: _Previews) -> None:
        self._previews[message.key] = message.strips
        if message.key == self._members_key:
            self._show_previews()

    def _render_group(self) -> None:
        title = self.query_one("#duplicates-group-title", Static)
        box = self.query_one("#duplicates-members", HorizontalScroll)
        diff = self.query_one("#duplicates-diff", MetadataDiff)
        group = self.session.current
        if group is None or not self._members:
            title.update("" if group is None else Text("Reading the group…", style="dim"))
            box.remove_children()
            self._cards = []
            diff.show([], set(), 0)
            return
        box.remove_children()
        self._cards = [MemberCard(m, i) for i, m in enumerate(self._members)]
        box.mount_all(self._cards)
        self.query_one("#duplicates-compare", VerticalScroll).scroll_home(animate=False)
        self._refresh_cards()
        self._show_previews()

    def _refresh_cards(self) -> None:
        """Keep/trash marks, the cursor, the title and the comparison's highlighted column."""
        group = self.session.current
        if group is None or not self._members or self._members_key != group.key:
            return
        keep = self.session.keep_ids(group)
        marked = self.session.marks.get(group.key, set())
        current = self.session.member_index
        self.query_one("#duplicates-group-title", Static).update(_group_title(group, keep, self._differing))
        room = self.query_one("#duplicates-members").size.width or self.size.width
        width = max(28, room // max(1, len(self._cards))) - 4  # a card's border and padding
        for card in self._cards:
            card.set_state(
                keep=card.member.photo.id in keep,
                suggested=card.member.photo.id == group.keeper_id,
                marked=card.member.photo.id in marked,
                current=card.index == current,
                width=width,
            )
            if card.index == current and card.is_mounted:
                self.query_one("#duplicates-members", HorizontalScroll).scroll_to_widget(card, animate=False)
        self.query_one("#duplicates-diff", MetadataDiff).show(self._members, self._differing, current)

    def _show_previews(self) -> None:
        strips = self._previews.get(self._members_key or "")
        if strips is None:
            return
        for card in self._cards:
            card.thumbnail.show(strips.get(card.member.photo.id))

    def focus_content(self) -> None:
        self.focus()  # the pane owns every key of the review (the group list is not focusable)

    GROUP_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"resolve", "toggle_keeper", "skip", "not_duplicates", "next_group", "previous_group", "next_member",
         "previous_member", "accept_confident", "scroll_compare"}
    )  # fmt: skip

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a group are hidden while there is none."""
        if action in self.GROUP_ACTIONS:
            return bool(self.session.shown)
        return True

    # --- Moving (never changes a file) -------------------------------------------------

    def action_next_group(self) -> None:
        self.session.move_group(1)
        self._cursor_moved()

    def action_previous_group(self) -> None:
        self.session.move_group(-1)
        self._cursor_moved()

    def action_skip(self) -> None:
        self.session.skip()
        self._cursor_moved()

    def action_next_member(self) -> None:
        self.session.move_member(1)
        self._refresh_cards()

    def action_previous_member(self) -> None:
        self.session.move_member(-1)
        self._refresh_cards()

    def action_scroll_compare(self, direction: int) -> None:
        compare = self.query_one("#duplicates-compare", VerticalScroll)
        if direction > 0:
            compare.scroll_page_down(animate=False)
        else:
            compare.scroll_page_up(animate=False)

    # --- Decisions ---------------------------------------------------------------------

    def _need_group(self) -> DuplicateGroup | None:
        group = self.session.current
        if group is None:
            self.app.notify("There is no duplicate group to act on.", severity="warning")
        elif self._busy:
            self.app.notify("Still working on the last decision…")
            return None
        return group

    def action_toggle_keeper(self) -> None:
        if self.current_member is not None and self.session.toggle_keeper():
            self._refresh_cards()

    def action_resolve(self) -> None:
        group = self._need_group()
        if group is not None:
            self._busy = True
            self._resolve([(group, self.session.keep_ids(group))])

    def action_accept_confident(self) -> None:
        if self._need_group() is None:
            return
        plan = self.session.bulk_plan()
        if not plan.groups:
            self.app.notify(
                "No group here has a suggestion every signal agrees on (✓); review them one by one with d.",
                title="Duplicates",
            )
            return
        self.app.push_screen(ConfirmDialog(*_bulk_question(plan)), lambda yes: self._bulk_confirmed(plan, yes))

    def _bulk_confirmed(self, plan: BulkPlan, yes: bool | None) -> None:
        self.focus_content()
        if yes and not self._busy:
            self._busy = True
            self._resolve([(g, {g.keeper_id}) for g in plan.groups])

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Resolving duplicate groups")
    def _resolve(self, jobs: list[tuple[DuplicateGroup, set[int]]]) -> None:
        done: list[DuplicateGroup] = []
        resolutions: list[Resolution] = []
        error = None
        for group, keep in jobs:
            try:
                resolutions.append(resolve_group(self.library, group, keep))
            except Exception as exc:  # ResolveError, OSError, a locked catalog: this group stays listed
                error = f"Could not resolve the group of {group.keeper.name}: {exc}"
                break
            done.append(group)
        self.post_message(self._Resolved(done, resolutions, error))

    @on(_Resolved)
    def _resolved(self, message: _Resolved) -> None:
        self._busy = False
        self.session.record_resolved(message.groups, [r.id for r in message.resolutions])
        self._forget_previews(message.groups)
        self._show()
        if message.resolutions:
            text, warn = _resolved_text(message.resolutions)
            self.app.notify(text, title="Duplicates", severity="warning" if warn else "information", timeout=8)
        if message.error:
            self.app.notify(message.error, title="Duplicates", severity="warning", timeout=8)

    def action_not_duplicates(self) -> None:
        group = self._need_group()
        if group is None:
            return
        if group.kind != "exact":
            self._busy = True
            self._dismiss(group)
            return

        def answered(yes: bool | None) -> None:
            self.focus_content()
            if yes and not self._busy and self.session.current is group:
                self._busy = True
                self._dismiss(group)

        self.app.push_screen(
            ConfirmDialog(
                "These files are byte-for-byte identical",
                f"The {plural(len(group.photos), 'file')} of this group have exactly the same bytes: they are "
                "copies of one file. Stop grouping them anyway? (u undoes; N lists groups marked so)",
                "Not duplicates",
            ),
            answered,
        )

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Dismissing a duplicate group")
    def _dismiss(self, group: DuplicateGroup) -> None:
        try:
            decision_id = dismiss_group(self.library, group)
        except Exception as exc:  # a locked or read-only catalog: say so, keep the group
            self.post_message(self._Failed(f"Could not remember the decision: {exc}"))
            return
        self.post_message(self._Dismissed(group, decision_id))

    @on(_Dismissed)
    def _dismissed(self, message: _Dismissed) -> None:
        self._busy = False
        self.session.record_dismissed(message.group, message.decision_id)
        self._forget_previews([message.group])
        self._show()
        self.app.notify(
            "Marked as not duplicates: this group will not be shown again. u undoes it.", title="Duplicates"
        )

    # --- Undo --------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self._busy:
            self.app.notify("Still working on the last decision…")
            return
        step = self.session.pop_undo()
        if step is None:
            self.app.notify(
                "Nothing to undo in this review. Copies trashed earlier come back with `shoebox dupes --undo` "
                "or `shoebox trash`; N lists groups marked not duplicates.",
                title="Duplicates",
            )
            return
        if isinstance(step, KeeperChanged):
            self._cursor_moved()
            self._refresh_cards()
            self.app.notify("Keeper choice put back.", title="Duplicates")
            return
        self._busy = True
        self._undo(step)

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Undoing the last decision")
    def _undo(self, step: Step) -> None:
        try:
            outcome = undo_step(self.library, step)
        except Exception as exc:  # OSError, a locked catalog: the step stays on the stack
            self.post_message(self._UndoFailed(step, f"Could not undo: {exc}"))
            return
        self.post_message(self._Undone(outcome))

    @on(_UndoFailed)
    def _undo_failed(self, message: _UndoFailed) -> None:
        self._busy = False
        self.session.push_back(message.step)
        self.app.notify(message.text, title="Duplicates", severity="warning", timeout=8)

    @on(_Undone)
    def _undone(self, message: _Undone) -> None:
        self._busy = False
        outcome = message.outcome
        self.session.restore(outcome.step)
        self._show(refresh=True)
        self.app.notify(
            _undone_text(outcome), title="Duplicates", severity="warning" if outcome.failed else "information"
        )
        self.reload()  # the groups as the catalog has them now (a restored file may have a new name)

    # --- Dismissed groups --------------------------------------------------------------

    def action_show_dismissed(self) -> None:
        self._load_dismissed()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="duplicates-dismissed",
        description="Listing dismissed groups",
    )
    def _load_dismissed(self) -> None:
        try:
            self.post_message(self._DismissedList(list_dismissed(self.library)))
        except Exception as exc:  # a locked catalog
            self.post_message(self._Failed(f"Could not list the dismissed groups: {exc}"))

    @on(_DismissedList)
    def _dismissed_list(self, message: _DismissedList) -> None:
        def chosen(decision_id: int | None) -> None:
            self.focus_content()
            if decision_id is not None:
                self._undismiss(decision_id)

        self.app.push_screen(DismissedDialog(message.groups), chosen)

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Grouping a dismissed group again")
    def _undismiss(self, decision_id: int) -> None:
        try:
            forget_decision(self.library, decision_id)
        except Exception as exc:  # a locked or read-only catalog
            self.post_message(self._Failed(f"Could not take the decision back: {exc}"))
            return
        self.post_message(self._Undismissed(decision_id))

    @on(_Undismissed)
    def _undismissed(self, message: _Undismissed) -> None:
        self.session.undo_stack = [
            s
            for s in self.session.undo_stack
            if not (isinstance(s, Dismissed) and s.decision_id == message.decision_id)
        ]
        self.app.notify("The group will be listed again (looking for duplicates now).", title="Duplicates")
        self.reload()

    # --- Threshold ---------------------------------------------------------------------

    def action_threshold(self) -> None:
        def chosen(value: int | None) -> None:
            if value is not None and value != self.threshold:
                self._threshold = value
                self._remember_threshold(value)
                self._previews.clear()
                self.reload()
            self.focus_content()

        self.app.push_screen(ThresholdDialog(self.threshold), chosen)

    @work(
        thread=True,
        exclusive=False,
        exit_on_error=False,
        group="duplicates-settings",
        description="Saving the threshold",
    )
    def _remember_threshold(self, value: int) -> None:
        """Keep the chosen threshold as the library's default (a few bytes of config.toml, written off the UI thread)."""
        try:
            save_threshold(self.library.directory, value)
        except (ConfigError, OSError) as exc:
            self.post_message(
                WorkerNotice(f"Using {value} bits for now; it could not be saved: {exc}", "Threshold", "warning")
            )

    def _forget_previews(self, groups: list[DuplicateGroup]) -> None:
        for group in groups:
            self._previews.pop(group.key, None)


def _group_title(group: DuplicateGroup, keep: set[int], differing: set[str]) -> Text:
    """Two to four lines: what the group is, why, which copy stays (by which rule), what it inherits."""
    text = Text()
    if group.kind == "exact":
        text.append("Exact copies", style="bold")
        text.append(" (identical bytes)")
    else:
        spread = "identical picture hashes" if group.distance == 0 else f"hashes differ by ≤{group.distance} bits"
        text.append("Near copies", style="bold")
        text.append(f" ({spread})")
    text.append(f" · {plural(len(group.photos), 'file')} · {human_size(group.savings)}")
    if group.kind != "exact":
        reasons = sorted({link.reason for link in group.links})
        if reasons:
            text.append("\nGrouped because: " + "; ".join(reasons), style="dim")
    if keep == {group.keeper_id}:
        text.append(f"\n★ keeps {group.keeper.name}: {group.keeper_reason}", style="dim")
        if group.confident:
            text.append(" ✓ every signal agrees", style="green")
    else:
        names = [p.name for p in group.photos if p.id in keep]
        text.append(f"\n✓ keeps your choice: {', '.join(names)} (suggested {group.keeper.name})", style="dim")
    inherited = [
        label for name, label in (("albums", "albums"), ("tags", "tags"), ("rating", "rating")) if name in differing
    ]
    if inherited:
        listed = inherited[0] if len(inherited) == 1 else ", ".join(inherited[:-1]) + " and " + inherited[-1]
        text.append(f"\nThe kept copy inherits the others' {listed}.", style="dim")
    return text


def _groups_phrase(groups: list[DuplicateGroup]) -> str:
    """``2 groups of exact copies``, ``1 group of near copies``, ``3 groups of duplicates (2 exact, 1 near)``."""
    exact = sum(1 for g in groups if g.kind == "exact")
    count = plural(len(groups), "group")
    if groups and exact == len(groups):
        return f"{count} of exact copies"
    if groups and exact == 0:
        return f"{count} of near copies"
    if not groups:
        return "No groups of duplicates"
    return f"{count} of duplicates ({exact} exact, {len(groups) - exact} near)"


def _bulk_question(plan: BulkPlan) -> tuple[str, str, str]:
    """The confirmation's title, body and button for accepting ``plan``."""
    groups = plural(len(plan.groups), "group")
    return (
        f"Accept {groups} of sure suggestions?",
        f"In {groups} every signal agrees on the copy to keep (✓). Keeping those and moving "
        f"{_other_copies(plan.files)} ({human_size(plan.savings)}) to the library's trash. "
        "One u brings them all back.",
        f"Trash {plural(plan.files, 'file')}",
    )


def _other_copies(count: int) -> str:
    return "1 other copy" if count == 1 else f"{count:,} other copies"


def _resolved_text(resolutions: list[Resolution]) -> tuple[str, bool]:
    """The toast after resolving: what moved, how to undo, any trouble; and whether it is a warning."""
    moved = sum(len(r.trashed) for r in resolutions)
    freed = sum(p.size for r in resolutions for p, _ in r.trashed)
    if len(resolutions) == 1:
        r = resolutions[0]
        kept = ", ".join(p.name for p in r.kept)
        text = f"Kept {kept}; moved {plural(moved, 'file')} ({human_size(freed)}) to the trash. Press u to undo."
    else:
        text = f"Resolved {plural(len(resolutions), 'group')}: moved {plural(moved, 'file')} ({human_size(freed)}) to the trash. Press u to undo them all."
    skipped = [s for r in resolutions for s in r.skipped]
    failed = [f for r in resolutions for f in r.failed]
    if skipped:
        text += f" {plural(len(skipped), 'file')} left in place: " + "; ".join(
            f"{p.name}: {why}" for p, why in skipped[:3]
        )
    if failed:
        text += " Could not move: " + "; ".join(f"{p.name}: {why}" for p, why in failed[:3])
    sidecar_problems = failures([s for r in resolutions for s in r.sidecars])
    if sidecar_problems:
        text += " Sidecar not updated: " + "; ".join(sidecar_problems)
    return text, bool(failed or sidecar_problems)


def _undone_text(outcome: UndoOutcome) -> str:
    step = outcome.step
    if isinstance(step, Dismissed):
        return "The group is back: it is no longer marked as not duplicates."
    assert isinstance(step, Resolved)
    text = f"Brought back {plural(outcome.restored, 'file')} from the trash"
    text += f" ({plural(len(step.groups), 'group')})." if len(step.groups) > 1 else "."
    renamed = [r for u in outcome.undos for r in u.restored if r.renamed]
    if renamed:
        text += f" {plural(len(renamed), 'file')} restored under a new name (the old one was taken)."
    if outcome.failed:
        text += f" {plural(len(outcome.failed), 'problem')}: " + "; ".join(outcome.failed[:3])
    return text
