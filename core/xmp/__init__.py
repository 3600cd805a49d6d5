"""XMP sidecars: Shoebox's ratings, tags, captions and albums beside the photos, readable
by digiKam, Lightroom, darktable and Immich, and theirs readable by Shoebox.

``packet`` edits one XMP packet and keeps everything it does not own; ``fields`` maps
Shoebox's marks to XMP properties; ``regions`` reads and edits MWG face regions, which
``faces`` keeps in step with the photos' named persons; ``paths`` finds a photo's sidecar;
``sync`` reads and writes sidecars for photos, remembering what each held so nothing another tool wrote is
overwritten unseen (``merge`` decides what the catalog takes); ``results`` says what happened;
``auto`` keeps sidecars in step as marks change, when asked to; ``imports`` reads new
photos' and changed sidecars unasked.
"""

from core.xmp.auto import MODES, auto_mode, set_auto_mode, sync_after_change, sync_after_face_changes
from core.xmp.results import SidecarResult, failures, summary
from core.xmp.sync import read_sidecars, write_sidecars

__all__ = ["MODES", "SidecarResult", "auto_mode", "failures", "read_sidecars", "set_auto_mode", "summary",
           "sync_after_change", "sync_after_face_changes", "write_sidecars"]  # fmt: skip


from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "sidecar_path": "core.xmp.paths",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
