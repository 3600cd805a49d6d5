"""Reading a photo's cached thumbnail (made on first use) at the size a tile needs."""

from __future__ import annotations

from PIL import Image

from core.catalog import Photo
from core.media import ThumbnailCache


def can_have_thumbnail(photo: Photo) -> bool:
    """Videos and files whose pixels could not be read never get one."""
    return photo.kind == "photo" and photo.error is None


def load_thumbnail(cache: ThumbnailCache, photo: Photo, box: tuple[int, int]) -> Image.Image | None:
    """The photo's thumbnail decoded at about ``box`` pixels; None when there are no pixels.

    Creates the thumbnail from the original when the cache does not have it yet (blocking:
    call from a worker thread).
    """
    if not can_have_thumbnail(photo):
        return None
    try:
        path = cache.ensure(photo.fs_path, photo.sha256)
    except OSError:
        return None
    if path is None:
        return None
    try:
        with Image.open(path) as image:
            image.draft("RGB", box)
            image.load()
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
