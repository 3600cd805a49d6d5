"""The duplicates pane: review groups of copies, keep the best, trash the rest (undoable).

Groups come from :func:`core.duplicates.find_groups` (largest savings first) in a thread
worker; the selected group's members show side by side with small previews and a
metadata diff. ``k`` keeps the suggestion (or the members marked with ``space``) and
moves the others to the library's trash; ``u`` undoes it. The interface to the app is
the :class:`Pane` one: ``reload()``, ``search(text)`` and ``focus_content()``.
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
from textual.containers import Horizontal, HorizontalScroll, VerticalScroll
from textual.message import Message
from textual.strip import Strip
from textual.widgets import OptionList, Static

from core.duplicates import (
    Cancelled,
    DuplicateGroup,
    FindProgress,
    MemberDetails,
    Resolution,
    Undo,
    describe_members,
    differing_fields,
    dismiss_group,
    find_groups,
    resolve_group,
    undo_resolution,
)
from core.config import ConfigError
from core.duplicates.settings import DEFAULT_THRESHOLD, DuplicateSettings, save_threshold
from core.xmp import failures
from tui.formatting import human_size, plural
from tui.panes.base import Pane
from tui.previews.halfcell import image_to_strips
from tui.previews.thumbs import load_thumbnail
from tui.widgets.duplicates.group_list import GroupList
from tui.widgets.duplicates.member_card import THUMB_COLUMNS, THUMB_ROWS, MemberCard
from tui.widgets.duplicates.metadata_diff import MetadataDiff
from tui.widgets.duplicates.threshold_dialog import ThresholdDialog
from tui.widgets.empty_state import EmptyState

EMPTY_TITLE = "No duplicate groups yet"
EMPTY_BODY = (
    "Copies of the same photo — exact copies, resized or recompressed versions, rotated ones — "
    "are grouped here for review: the best copy kept, the others moved to a trash you can "
    "restore from. Groups appear once photos are indexed (press [b]a[/] to add a folder); "
    "press [b]t[/] to look for less similar copies."
)
NARROW_WIDTH = 110


class DuplicatesPane(Pane):
    """Duplicate groups on the left, the highlighted group's members side by side on the right."""

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
        &.-narrow #duplicates-body { layout: vertical; }
        &.-narrow GroupList { width: 1fr; height: 6; border-right: none; border-bottom: tall $panel; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep", "Keep & trash rest", id="duplicates.keep", tooltip="Keep the suggested (or marked) copies; move the others to the trash"),
        Binding("space", "toggle_keeper", "Mark keeper", id="duplicates.mark", tooltip="Mark or unmark the highlighted copy as one to keep"),
        Binding("s", "skip", "Skip", id="duplicates.skip", tooltip="Leave this group for later; go to the next one"),
        Binding("n", "not_duplicates", "Not duplicates", id="duplicates.dismiss", tooltip="These are different photos: never group them again"),
        Binding("u", "undo", "Undo", id="duplicates.undo", tooltip="Bring back the files of the last group resolved"),
        Binding("t", "threshold", "Threshold", id="duplicates.threshold", tooltip="How similar near copies must be; then look again"),
        Binding("j", "next_group", "Next group", show=False, id="duplicates.next-group"),
        Binding("right,l,tab", "next_member", "Next copy", show=False, id="duplicates.next-member"),
        Binding("left,h,shift+tab", "previous_member", "Previous copy", show=False, id="duplicates.previous-member"),
    ]

    # --- Messages from the workers -------------------------------------------------------

    @dataclass
    class _Found(Message):
        groups: list[DuplicateGroup]
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
        key: str
        resolution: Resolution

    @dataclass
    class _Undone(Message):
        undo: Undo

    @dataclass
    class _Dismissed(Message):
        key: str

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._groups: list[DuplicateGroup] = []
        self._shown: list[DuplicateGroup] = []
        self._members: list[MemberDetails] = []
        self._differing: set[str] = set()
        self._members_key: str | None = None
        self._marks: dict[str, set[int]] = {}
        self._member_index = 0
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
            with VerticalScroll(id="duplicates-detail"):
                yield Static("", id="duplicates-group-title")
                yield HorizontalScroll(id="duplicates-members")
                yield MetadataDiff(id="duplicates-diff")
        yield EmptyState("Finding duplicates…", "Comparing every photo's bytes and picture hashes.", id="duplicates-empty")

    def on_mount(self) -> None:
        self.query_one("#duplicates-body").display = False
        self.reload()

    def on_unmount(self) -> None:
        self._cancel.set()  # a search still running stops at its next check

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    # --- Finding -----------------------------------------------------------------------

    @property
    def threshold(self) -> int:
        if self._threshold is None:
            try:
                self._threshold = DuplicateSettings.load(self.library.directory).threshold
            except Exception:  # a bad config is reported by find_groups' worker
                return DEFAULT_THRESHOLD
        return self._threshold

    @property
    def finding(self) -> bool:
        return self._finding

    def reload(self) -> None:
        self._cancel.set()
        self._cancel = threading.Event()
        self._finding = True
        self._show_heading()
        if not self._loaded_once:
            self._show_empty("Finding duplicates…", "Comparing every photo's bytes and picture hashes.")
        self._find(self.threshold, self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates", description="Finding duplicates")
    def _find(self, threshold: int, cancel: threading.Event) -> None:
        last = 0.0

        def progress(p: FindProgress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last > 0.2 and p.total:
                last = now
                stage = "comparing hashes" if p.stage == "hashes" else "checking pictures"
                self.post_message(self._Progress(f"{stage} {p.done * 100 // p.total}%"))

        try:
            groups = find_groups(self.library, threshold, cancel=cancel, progress=progress)
        except Cancelled:
            return
        except Exception as exc:  # shown in the pane, not a crash
            self.post_message(self._Failed(f"Could not look for duplicates: {exc}", finding=True))
            return
        if not cancel.is_set():
            self.post_message(self._Found(groups, threshold))

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
        if message.finding and not self._groups:
            self._show_empty("Duplicates could not be looked for", message.text)

    @on(_Found)
    def _found(self, message: _Found) -> None:
        self._finding = False
        self._loaded_once = True
        self._groups = message.groups
        keys = {g.key for g in self._groups}
        self._marks = {k: v for k, v in self._marks.items() if k in keys}
        self._show(refresh=True)

    # --- Showing -----------------------------------------------------------------------

    @property
    def groups(self) -> list[DuplicateGroup]:
        """The groups listed now (after search)."""
        return list(self._shown)

    @property
    def current_group(self) -> DuplicateGroup | None:
        listing = self.query_one(GroupList)
        index = listing.highlighted
        if index is None or not 0 <= index < len(self._shown):
            return None
        return self._shown[index]

    @property
    def current_member(self) -> MemberDetails | None:
        if self._members and self._members_key == getattr(self.current_group, "key", None):
            return self._members[min(self._member_index, len(self._members) - 1)]
        return None

    def keep_ids(self, group: DuplicateGroup) -> set[int]:
        """What ``k`` keeps: the marked members, else the suggested keeper."""
        return set(self._marks.get(group.key) or {group.keeper_id})

    def search(self, text: str) -> str | None:
        self.search_text = text
        self._show()
        return None

    def _show(self, *, refresh: bool = False) -> None:
        needle = self.search_text.strip().lower()
        self._shown = [g for g in self._groups if not needle or any(needle in p.path.lower() for p in g.photos)]
        current = self.current_group
        listing = self.query_one(GroupList)
        listing.show_groups(self._shown, current.key if current else None)
        body = self.query_one("#duplicates-body")
        body.display = bool(self._shown)
        self.query_one("#duplicates-empty").display = not self._shown
        if self._groups and not self._shown:
            self._show_empty(f"No duplicates match “{self.search_text}”", "Press [b]escape[/] in the search bar to see them all.")
        elif not self._groups:
            self._show_empty(EMPTY_TITLE, EMPTY_BODY + f"\n\nThreshold now: {self.threshold} bits of 64.")
        self._show_heading()
        self._group_changed(force=refresh)
        total = sum(g.savings for g in self._groups)
        summary = f"{plural(len(self._groups), 'duplicate group')}, {human_size(total)} to reclaim" if self._groups else "No duplicates"
        self.post_message(self.Summary(self, summary))
        self.refresh_bindings()
        if self.app.focused is None and getattr(self.parent, "current", None) == self.PANE_ID and self._shown:
            self.focus_content()  # the groups arrived after the pane was shown

    def _show_empty(self, title: str, body: str) -> None:
        empty = self.query_one("#duplicates-empty", EmptyState)
        empty.update(title, body)
        empty.display = True

    def _show_heading(self, progress: str = "") -> None:
        heading = self.query_one("#duplicates-heading", Static)
        text = Text()
        if self._groups:
            total = sum(g.savings for g in self._groups)
            text.append(_groups_phrase(self._groups), style="bold")
            text.append(f" · {human_size(total)} to reclaim · threshold {self.threshold} bits")
        elif self._loaded_once:
            text.append("No duplicates found", style="bold")
            text.append(f" · threshold {self.threshold} bits (t to change)")
        if self._finding:
            text.append("  Finding duplicates… " + progress, style="italic")
        heading.update(text)

    @on(OptionList.OptionHighlighted, "#duplicates-groups")
    def _highlighted(self) -> None:
        self._group_changed()

    def _group_changed(self, *, force: bool = False) -> None:
        """Read the highlighted group's details unless they are already read (or on the way)."""
        group = self.current_group
        if group is None:
            self._members, self._members_key, self._wanted_key = [], None, None
            self._render_group()
            return
        if group.key == self._wanted_key and not force:
            return
        self._wanted_key = group.key
        if group.key != self._members_key:
            self._member_index = 0
            self._members, self._members_key = [], None
            self._render_group()
        self._describe(group, self.background_colors[1].rgb)

    @work(thread=True, exclusive=True, exit_on_error=False, group="duplicates-group", description="Reading a duplicate group")
    def _describe(self, group: DuplicateGroup, background: tuple[int, int, int]) -> None:
        members = describe_members(self.library, group)
        self.post_message(self._Described(group.key, members, differing_fields(members)))
        if group.key in self._previews:
            return
        strips: dict[int, list[Strip] | None] = {}
        for photo in group.photos:
            image = load_thumbnail(self.library.thumbnails, photo, (THUMB_COLUMNS, THUMB_ROWS * 2))
            strips[photo.id] = image_to_strips(image, THUMB_COLUMNS, THUMB_ROWS, background) if image is not None else None
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
        group = self.current_group
        if group is None or not self._members:
            title.update("" if group is None else Text("Reading the group…", style="dim"))
            box.remove_children()
            self._cards = []
            diff.show([], set(), 0)
            return
        title.update(_group_title(group))
        box.remove_children()
        self._cards = [MemberCard(m, i) for i, m in enumerate(self._members)]
        box.mount_all(self._cards)
        self._refresh_cards()
        self._show_previews()

    def _refresh_cards(self) -> None:
        """Keep/trash marks, the cursor, and the diff's highlighted column."""
        group = self.current_group
        if group is None or not self._members:
            return
        keep = self.keep_ids(group)
        marked = self._marks.get(group.key, set())
        for card in self._cards:
            card.set_state(
                keep=card.member.photo.id in keep,
                suggested=card.member.photo.id == group.keeper_id,
                marked=card.member.photo.id in marked,
                current=card.index == self._member_index,
                keeper_reason=group.keeper_reason,
            )
            if card.index == self._member_index and card.is_mounted:
                self.query_one("#duplicates-members", HorizontalScroll).scroll_to_widget(card, animate=False)
        self.query_one("#duplicates-diff", MetadataDiff).show(self._members, self._differing, self._member_index)

    def _show_previews(self) -> None:
        strips = self._previews.get(self._members_key or "")
        if strips is None:
            return
        for card in self._cards:
            card.thumbnail.show(strips.get(card.member.photo.id))

    def focus_content(self) -> None:
        listing = self.query_one(GroupList)
        if self._shown:
            listing.focus()
        else:
            self.focus()  # the pane itself, so t and u work with no group listed

    GROUP_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"keep", "toggle_keeper", "skip", "not_duplicates", "next_group", "next_member", "previous_member"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that act on a group are hidden while there is none."""
        if action in self.GROUP_ACTIONS:
            return bool(self._shown)
        return True

    # --- Keys --------------------------------------------------------------------------

    def _need_group(self) -> DuplicateGroup | None:
        group = self.current_group
        if group is None:
            self.app.notify("There is no duplicate group to act on.", severity="warning")
        elif self._busy:
            self.app.notify("Still working on the last group…")
            return None
        return group

    def action_next_group(self) -> None:
        self.query_one(GroupList).action_cursor_down()

    def action_next_member(self) -> None:
        if self._members:
            self._member_index = (self._member_index + 1) % len(self._members)
            self._refresh_cards()

    def action_previous_member(self) -> None:
        if self._members:
            self._member_index = (self._member_index - 1) % len(self._members)
            self._refresh_cards()

    def action_toggle_keeper(self) -> None:
        group, member = self.current_group, self.current_member
        if group is None or member is None:
            return
        marks = self._marks.setdefault(group.key, set())
        marks.symmetric_difference_update({member.photo.id})
        self._refresh_cards()

    def action_skip(self) -> None:
        listing = self.query_one(GroupList)
        if self._shown and listing.highlighted is not None:
            listing.highlighted = (listing.highlighted + 1) % len(self._shown)

    def action_keep(self) -> None:
        group = self._need_group()
        if group is not None:
            self._busy = True
            self._resolve(group, self.keep_ids(group))

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Resolving a duplicate group")
    def _resolve(self, group: DuplicateGroup, keep: set[int]) -> None:
        try:
            resolution = resolve_group(self.library, group, keep)
        except Exception as exc:  # ResolveError, OSError, a locked catalog: the group stays listed
            self.post_message(self._Failed(f"Could not resolve the group: {exc}"))
            return
        self.post_message(self._Resolved(group.key, resolution))

    @on(_Resolved)
    def _resolved(self, message: _Resolved) -> None:
        self._busy = False
        resolution = message.resolution
        self._drop_group(message.key)
        moved = len(resolution.trashed)
        freed = sum(p.size for p, _ in resolution.trashed)
        text = f"Kept {plural(len(resolution.kept), 'file')}; moved {plural(moved, 'file')} ({human_size(freed)}) to the trash. Press u to undo."
        if resolution.skipped:
            text += f" {plural(len(resolution.skipped), 'file')} left in a reference folder."
        if resolution.failed:
            text += " Could not move: " + "; ".join(f"{p.name}: {why}" for p, why in resolution.failed)
        sidecar_problems = failures(resolution.sidecars)
        if sidecar_problems:
            text += " Sidecar not updated: " + "; ".join(sidecar_problems)
        warn = resolution.failed or sidecar_problems
        self.app.notify(text, title="Duplicates", severity="warning" if warn else "information")

    def action_not_duplicates(self) -> None:
        group = self._need_group()
        if group is not None:
            self._busy = True
            self._dismiss(group)

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Dismissing a duplicate group")
    def _dismiss(self, group: DuplicateGroup) -> None:
        try:
            dismiss_group(self.library, group)
        except Exception as exc:  # a locked or read-only catalog: say so, keep the group
            self.post_message(self._Failed(f"Could not remember the decision: {exc}"))
            return
        self.post_message(self._Dismissed(group.key))

    @on(_Dismissed)
    def _dismissed(self, message: _Dismissed) -> None:
        self._busy = False
        self._drop_group(message.key)
        self.app.notify("Marked as not duplicates: this group will not be shown again.", title="Duplicates")

    def action_undo(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._undo()

    @work(thread=True, exit_on_error=False, group="duplicates-act", description="Undoing the last resolution")
    def _undo(self) -> None:
        try:
            undo = undo_resolution(self.library)
        except Exception as exc:  # ResolveError ("nothing to undo"), OSError
            text = str(exc)
            self.post_message(self._Failed(text[:1].upper() + text[1:]))
            return
        self.post_message(self._Undone(undo))

    @on(_Undone)
    def _undone(self, message: _Undone) -> None:
        self._busy = False
        undo = message.undo
        text = f"Brought back {plural(len(undo.restored), 'file')} from the trash."
        renamed = [r for r in undo.restored if r.renamed]
        if renamed:
            text += f" {plural(len(renamed), 'file')} restored under a new name (the old one was taken)."
        if undo.failed:
            text += f" {plural(len(undo.failed), 'file')} could not be restored: " + "; ".join(why for _, why in undo.failed)
        self.app.notify(text, title="Duplicates", severity="warning" if undo.failed else "information")
        self.reload()

    def action_threshold(self) -> None:
        def chosen(value: int | None) -> None:
            if value is not None and value != self.threshold:
                self._threshold = value
                self._remember_threshold(value)
                self._previews.clear()
                self.reload()
            self.focus_content()

        self.app.push_screen(ThresholdDialog(self.threshold), chosen)

    def _remember_threshold(self, value: int) -> None:
        """Keep the chosen threshold as the library's default (a few bytes of config.toml)."""
        try:
            save_threshold(self.library.directory, value)
        except (ConfigError, OSError) as exc:
            self.app.notify(f"Using {value} bits for now; it could not be saved: {exc}", title="Threshold", severity="warning")

    def _drop_group(self, key: str) -> None:
        self._groups = [g for g in self._groups if g.key != key]
        self._marks.pop(key, None)
        self._previews.pop(key, None)
        self._show()


def _group_title(group: DuplicateGroup) -> Text:
    """``Exact copies · 3 files · 4.2 MB to reclaim`` and why they were grouped."""
    text = Text()
    if group.kind == "exact":
        text.append("Exact copies", style="bold")
    else:
        spread = "identical perceptual hashes" if group.distance == 0 else f"hashes differ by up to {group.distance} bits of 64"
        text.append(f"Near copies ({spread})", style="bold")
    text.append(f" · {plural(len(group.photos), 'file')} · {human_size(group.savings)} to reclaim")
    reasons = sorted({link.reason for link in group.links})
    if reasons:
        text.append("\nGrouped because: " + "; ".join(reasons), style="dim")
    text.append(f"\nSuggested keeper: {group.keeper.name} — {group.keeper_reason}", style="dim")
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
