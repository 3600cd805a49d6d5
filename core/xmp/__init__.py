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

from core.exports import lazy_exports

#: What other packages take from this one, loaded on first use: importing ``core.xmp.paths``
#: (the trash does, whenever a library opens) does not load the sync, its face regions and
#: core.people with them.
_EXPORTS = {
    "MODES": "core.xmp.auto",
    "auto_mode": "core.xmp.auto",
    "set_auto_mode": "core.xmp.auto",
    "sync_after_change": "core.xmp.auto",
    "sync_after_face_changes": "core.xmp.auto",
    "SidecarResult": "core.xmp.results",
    "failures": "core.xmp.results",
    "summary": "core.xmp.results",
    "read_sidecars": "core.xmp.sync",
    "write_sidecars": "core.xmp.sync",
    "sidecar_path": "core.xmp.paths",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
