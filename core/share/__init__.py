"""Sharing photos for a limited time: expiring links to shared copies, and contributor inboxes.

Shared files are derivatives (upright, resized JPEGs rebuilt from the pixels with an
allow-list of metadata, no location unless asked) under ``PREFIX/shares/ID/``; the originals
and their backups are never touched, and revoking a share deletes every version of its
derivatives so even unexpired links stop working. Every link is signed to end at the
share's ``expires_at``, fixed before anything is uploaded. Links are presigned with the AWS
credentials in use; they are never stored (they carry the access key id) but re-signed from
the recorded keys when asked for again. Contributor inboxes live on a versioned bucket, so
no upload replaces another (``collect.py``, ``pull.py``).
"""

from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "create_share": "core.share.links",
    "parse_duration": "core.share.durations",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
