"""Face crops in half-blocks, kept in memory: drawn by workers, read by widgets.

:class:`FaceCrops` is a plain object shared by the people pane and the screens it opens
(one cache for the pane, the faces view, the review queue and the photo view's picker).
:meth:`FaceCrops.draw` decodes and renders (call it from a worker thread);
:meth:`FaceCrops.get` and :meth:`FaceCrops.accept` run on the UI thread.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.strip import Strip

from core.media import UnreadableMedia
from core.people import FaceRecord, face_crop
from tui.previews.halfcell import image_to_strips

#: Crops kept (several screens of tiles at every size in use).
CROP_CAPACITY = 800

#: (face id, columns, rows): one face drawn at one size.
CropKey = tuple[int, int, int]
#: A drawn crop: its lines, or None when the photo cannot be read.
CropStrips = list[Strip] | None

MISSING = object()
"""Returned by :meth:`FaceCrops.get` for a crop not drawn yet."""


class FaceCrops:
    """Drawn face crops by (face id, columns, rows), least recently used dropped first."""

    def __init__(self, capacity: int = CROP_CAPACITY) -> None:
        self._cache: LRUCache[CropKey, CropStrips] = LRUCache(capacity)

    def get(self, key: CropKey) -> CropStrips | object:
        """The crop's lines, None (no picture), or :data:`MISSING` (UI thread)."""
        return self._cache.get(key, MISSING)

    def accept(self, drawn: dict[CropKey, CropStrips]) -> None:
        """Keep crops a worker drew (UI thread)."""
        for key, strips in drawn.items():
            self._cache.set(key, strips)

    @staticmethod
    def draw(face: FaceRecord, columns: int, rows: int, background: tuple[int, int, int]) -> CropStrips:
        """Decode the face's photo and draw its crop in ``columns``×``rows`` cells (worker thread)."""
        try:
            image = face_crop(face.path, face.box)
        except (UnreadableMedia, OSError, ValueError):
            return None
        return image_to_strips(image, columns, rows, background)
