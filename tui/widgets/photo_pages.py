"""A bounded cache of timeline photos, kept in pages of consecutive positions."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from core.catalog.records import Photo

PAGE_SIZE = 64


class PhotoPages:
    """Photos by timeline position, ``PAGE_SIZE`` at a time, least recently used pages dropped.

    Used on the UI thread only: workers fetch pages and hand them over in messages.
    """

    def __init__(self, capacity: int = 96) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[int, list[Photo]] = OrderedDict()

    def get(self, offset: int) -> Photo | None:
        page = self._pages.get(offset // PAGE_SIZE)
        if page is None:
            return None
        self._pages.move_to_end(offset // PAGE_SIZE)
        inside = offset % PAGE_SIZE
        return page[inside] if inside < len(page) else None

    def has_page(self, page: int) -> bool:
        return page in self._pages

    def put(self, page: int, photos: list[Photo]) -> None:
        self._pages[page] = photos
        self._pages.move_to_end(page)
        while len(self._pages) > self.capacity:
            self._pages.popitem(last=False)

    def missing_pages(self, offsets: Iterable[int]) -> list[int]:
        """Pages (in order of first need) holding ``offsets`` that are not cached."""
        wanted: dict[int, None] = {}
        for offset in offsets:
            page = offset // PAGE_SIZE
            if page not in self._pages:
                wanted[page] = None
        return list(wanted)

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
