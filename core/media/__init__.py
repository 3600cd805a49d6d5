"""Reading photo and video files: formats, metadata, pixels, hashes and thumbnails."""

from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "ThumbnailCache": "core.media.thumbnails",
    "UnreadableMedia": "core.media.records",
    "load_upright": "core.media.decode",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
