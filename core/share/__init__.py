"""Sharing photos for a limited time: expiring links to GPS-free copies, and contributor inboxes.

Shared files are derivatives (resized JPEGs without location) under ``PREFIX/shares/ID/``;
the originals and their backups are never touched, and revoking a share deletes its
derivatives so even unexpired links stop working. Links are presigned with the AWS
credentials in use; they are never stored (they carry the access key id) but re-signed
from the recorded keys when asked for again.
"""
