"""Where the timeline grid gets its rows, thumbnails and backup marks: a plain object.

:class:`TimelineLoader` keeps what the grid has drawn from (pages of photos by position,
half-block thumbnails, which photos are backed up) in :class:`textual.cache.LRUCache`\\ s,
and does the blocking part (catalog queries, config reads, decoding) in methods the grid's
worker threads call. The grid only asks and draws; workers post what these methods return.

Stale work is dropped two ways:

* a **generation** counter goes up whenever the grid shows a new timeline (a search, a
  re-index): a page or backup marks fetched for an older generation are refused;
* thumbnails wait in a **queue popped newest-first**, and before each decode the worker
  checks that the photo is still on screen (:meth:`TimelineLoader.set_on_screen`), so a
  page-down or a search cancels the decodes queued for the screen left behind.

Methods marked *UI thread* are called only by the grid; *worker* ones only from threads.
The thumbnail queue is shared, behind a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PIL import Image
from textual.cache import LRUCache
from textual.strip import Strip

from core.catalog import Photo, TimelineIndex, photos_at, timeline_index
from core.cloud import backup_states
from core.library import Library
from tui.previews.halfcell import image_to_strips
from tui.previews.thumbs import load_thumbnail

#: Photos per page (one catalog query each).
PAGE_SIZE = 64
#: Pages kept (64 photos each): a few screens around every place the user went lately.
PAGE_CAPACITY = 96
#: Thumbnails kept (a few screens of the largest tiles).
THUMBNAIL_CAPACITY = 600
#: How long an early count waits for the app to ask for it before it is dropped.
EARLY_COUNT_PATIENCE = 120.0

#: (sha256, columns, rows) of a thumbnail drawn at a tile size.
ThumbKey = tuple[str, int, int]
#: A drawn thumbnail: its lines, or None when the photo has no pixels to show.
ThumbStrips = list[Strip] | None
#: Renders a decoded image into ``columns``×``rows`` cells on a background colour.
Renderer = Callable[[Image.Image, int, int, tuple[int, int, int]], list[Strip]]

#: Photos read with a count when the grid cannot tell how many fit on its screen yet.
DEFAULT_SCREENFUL = 2 * PAGE_SIZE

MISSING = object()
"""Returned by :meth:`TimelineLoader.thumbnail` for a thumbnail not drawn yet."""


@dataclass(frozen=True, slots=True)
class LoadedPage:
    """A page of photos fetched for one generation, with which of them are backed up."""

    generation: int
    page: int
    photos: list[Photo]
    backed_up: frozenset[str]


@dataclass(frozen=True, slots=True)
class PagesRead:
    """Pages read together with a timeline's count, so its first screen needs no second trip."""

    pages: dict[int, list[Photo]]
    backed_up: frozenset[str]


class TimelineLoader:
    """Rows, thumbnails and backup marks of the timeline on screen; see the module docstring."""

    def __init__(self, library: Library, *, page_capacity: int = PAGE_CAPACITY,
                 thumbnail_capacity: int = THUMBNAIL_CAPACITY, render: Renderer = image_to_strips) -> None:  # fmt: skip
        self._library = library
        self._render = render
        self.generation = 0
        self.index: TimelineIndex | None = None
        self._pages: LRUCache[int, list[Photo]] = LRUCache(page_capacity)
        self._thumbs: LRUCache[ThumbKey, ThumbStrips] = LRUCache(thumbnail_capacity)
        self._backed_up: set[str] = set()
        self._backup_target: str | None | object = MISSING  # read by a worker, never the UI thread
        self._lock = threading.Lock()
        self._queue: dict[ThumbKey, Photo] = {}  # insertion order: newest last
        self._on_screen: frozenset[ThumbKey] = frozenset()
        self._draining = False
        self._held = False  # a new timeline is being counted: decode nothing for the one on screen

    # --- A new timeline (UI thread) ---------------------------------------------------------

    def show(self, index: TimelineIndex, first_page: list[Photo] | None = None, read: PagesRead | None = None) -> int:
        """Start a new generation for ``index``: cached rows and marks go, queued decodes are cancelled.

        ``first_page`` (photos from position 0, read with ``index``) is kept as page 0, and
        so are the pages of ``read`` (with their backup marks).
        """
        self.generation += 1
        self.index = index
        self._pages.clear()
        self._backed_up.clear()
        if first_page is not None:
            self._pages.set(0, first_page)
        if read is not None:
            for page, photos in read.pages.items():
                self._pages.set(page, photos)
            self._backed_up |= read.backed_up
        self._backup_target = MISSING  # the config may have changed: read it again
        self.set_on_screen(())
        self.release_thumbnails()
        return self.generation

    def hold_thumbnails(self) -> None:
        """A new timeline is on its way: drop the queued decodes and queue none until :meth:`show`.

        The screen being left may redraw meanwhile (the search bar closing, say) and would
        ask again for its thumbnails; decoding them would only slow the count and rows the
        user waits for.
        """
        with self._lock:
            self._held = True
            self._queue.clear()

    def release_thumbnails(self) -> None:
        """Decode again (the new timeline is shown, or its count failed)."""
        with self._lock:
            self._held = False

    # --- Rows (UI thread) -------------------------------------------------------------------

    def photo(self, offset: int) -> Photo | None:
        """The photo at ``offset`` when its page is cached."""
        page = self._pages.get(offset // PAGE_SIZE)
        if page is None:
            return None
        inside = offset % PAGE_SIZE
        return page[inside] if inside < len(page) else None

    def has_page(self, page: int) -> bool:
        return page in self._pages

    def missing_pages(self, offsets: Iterable[int]) -> list[int]:
        """Pages (in order of first need) holding ``offsets`` that are not cached."""
        return [page for page in dict.fromkeys(offset // PAGE_SIZE for offset in offsets) if page not in self._pages]

    def accept_page(self, loaded: LoadedPage) -> bool:
        """Keep a fetched page; False (and nothing kept) when it was fetched for an older view."""
        if loaded.generation != self.generation:
            return False
        self._pages.set(loaded.page, loaded.photos)
        self._backed_up |= loaded.backed_up
        return True

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    # --- Backup marks (UI thread) -----------------------------------------------------------

    def is_backed_up(self, photo: Photo) -> bool:
        """Whether the photo's content is in the backup target (as far as loaded pages tell)."""
        return photo.sha256 in self._backed_up

    def accept_backup_marks(self, generation: int, backed_up: Iterable[str]) -> bool:
        if generation != self.generation:
            return False
        self._backed_up.update(backed_up)
        return True

    def unmarked(self, photos: Iterable[Photo | None]) -> set[str]:
        """Content hashes among ``photos`` not known to be backed up."""
        return {photo.sha256 for photo in photos if photo is not None} - self._backed_up

    # --- Rows and marks (worker) ------------------------------------------------------------

    def fetch_page(self, generation: int, index: TimelineIndex, page: int) -> LoadedPage | None:
        """Photos of ``page`` and which are backed up (None when the view changed meanwhile)."""
        if generation != self.generation:
            return None
        photos = photos_at(self._library.db, index, page * PAGE_SIZE, PAGE_SIZE)
        return LoadedPage(generation, page, photos, self.fetch_backup_marks({p.sha256 for p in photos}))

    def read_around(self, index: TimelineIndex, offset: int, screenful: int) -> PagesRead:
        """The whole pages within ``screenful`` photos of ``offset`` (one query) and their backup marks.

        Called with the count of a new timeline, for where its cursor will be: the screen
        shown around ``offset`` then has its rows at once.
        """
        first = max(0, offset - screenful) // PAGE_SIZE
        last = min(max(0, index.total - 1), offset + screenful) // PAGE_SIZE
        photos = photos_at(self._library.db, index, first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE)
        pages = {
            first + i: photos[i * PAGE_SIZE : (i + 1) * PAGE_SIZE]
            for i in range((len(photos) + PAGE_SIZE - 1) // PAGE_SIZE)
        }
        return PagesRead(pages, self.fetch_backup_marks({p.sha256 for p in photos}))

    def fetch_backup_marks(self, sha256s: set[str], *, look_again: bool = False) -> frozenset[str]:
        """Which of ``sha256s`` are uploaded to the backup target: one batched query, never one per photo.

        ``look_again`` reads the config again when no target was set (a backup just started).
        """
        target = self.backup_target(look_again=look_again)
        if target is None or not sha256s:
            return frozenset()
        states = backup_states(self._library.db, target, sha256s)
        return frozenset(sha for sha, state in states.items() if state == "uploaded")

    def backup_target(self, *, look_again: bool = False) -> str | None:
        """The URL backup state is kept under (read once per generation; None when unset or unreadable)."""
        target = self._backup_target
        if target is MISSING or (look_again and target is None):
            target = self._backup_target = _backup_target_url(self._library)
        return target  # type: ignore[return-value]

    # --- Thumbnails (UI thread) -------------------------------------------------------------

    def thumbnail(self, key: ThumbKey) -> ThumbStrips | object:
        """A drawn thumbnail, or :data:`MISSING`."""
        return self._thumbs.get(key, MISSING)

    def accept_thumbnails(self, drawn: dict[ThumbKey, ThumbStrips]) -> None:
        for key, strips in drawn.items():
            self._thumbs.set(key, strips)

    def set_on_screen(self, keys: Iterable[ThumbKey]) -> None:
        """The thumbnails the screen shows now: queued decodes of any other are cancelled."""
        on_screen = frozenset(keys)
        with self._lock:
            self._on_screen = on_screen
            self._queue = {key: photo for key, photo in self._queue.items() if key in on_screen}

    def want_thumbnails(self, wanted: Iterable[tuple[ThumbKey, Photo]]) -> bool:
        """Queue decodes (newest first out); True when no worker is draining the queue (start one)."""
        with self._lock:
            if self._held:
                return False
            for key, photo in wanted:
                if key not in self._thumbs and key in self._on_screen:
                    self._queue.pop(key, None)
                    self._queue[key] = photo
            start = bool(self._queue) and not self._draining  # the worker's end is marked by the UI thread
            if start:
                self._draining = True
            return start

    def worker_ended(self) -> bool:
        """The draining worker's last batch was kept; True when decodes were queued since (start another)."""
        with self._lock:
            self._draining = bool(self._queue)
            return self._draining

    @property
    def thumbnails_pending(self) -> bool:
        with self._lock:
            return bool(self._queue) or self._draining

    # --- Thumbnails (worker) ----------------------------------------------------------------

    def next_thumbnail(self) -> tuple[ThumbKey, Photo] | None:
        """The newest queued decode still on screen; None (the worker should end) when there is none."""
        with self._lock:
            while self._queue:
                key = next(reversed(self._queue))
                photo = self._queue.pop(key)
                if key in self._on_screen:
                    return key, photo
            return None

    def draw_thumbnail(self, key: ThumbKey, photo: Photo, background: tuple[int, int, int]) -> ThumbStrips:
        """Decode (making it on first use) and draw one thumbnail: blocking, for a worker."""
        _sha, columns, rows = key
        image = load_thumbnail(self._library.thumbnails, photo, (columns, rows * 2))
        return self._render(image, columns, rows, background) if image is not None else None


class EarlyCount:
    """The whole timeline counted, and its first page read, on a thread started with the app.

    SQLite counts (releasing the GIL) while Textual starts up, so the first frame waits for
    the slower of the two, not for both. The result is used once, and only if no other
    connection committed to the catalog meanwhile (``PRAGMA data_version``); otherwise the
    timeline is counted again as usual.
    """

    def __init__(self, library: Library) -> None:
        self._library = library
        self._asked = threading.Event()
        self.counted = threading.Event()
        """Set once the count is made (it is then held until :meth:`take`)."""
        self._done = threading.Event()
        self._result: tuple[TimelineIndex, list[Photo]] | None = None
        threading.Thread(target=self._count, name="timeline-early-count", daemon=True).start()

    def _count(self) -> None:
        try:
            db = self._library.db
            version = db.scalar("PRAGMA data_version")
            index = timeline_index(db)
            first_page = photos_at(db, index, 0, PAGE_SIZE)
            self.counted.set()
            if self._asked.wait(EARLY_COUNT_PATIENCE) and db.scalar("PRAGMA data_version") == version:
                self._result = (index, first_page)
        except Exception:  # a closed or broken catalog: the normal count reports it
            self._result = None
        finally:
            self._done.set()

    def take(self) -> tuple[TimelineIndex, list[Photo]] | None:
        """(worker) The timeline and its first page if still current, else None (count again)."""
        self._asked.set()
        self._done.wait()
        return self._result


def _backup_target_url(library: Library) -> str | None:
    """The URL backup state is kept under (None when no target is set or the config is unreadable)."""
    from core.cloud import load_target

    try:
        target = load_target(library.directory)
    except Exception:  # a broken config must not break the timeline; `b` reports it
        return None
    return target.url if target is not None else None
