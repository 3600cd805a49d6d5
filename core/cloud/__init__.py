"""Backing a library up to S3-compatible object storage, proving it is there, getting it back.

Objects are content-addressed (``PREFIX/objects/ab/abcdef…`` by sha256), so a renamed or
moved photo is never uploaded twice. The upload queue lives in the catalog
(``cloud_objects``), so a killed backup resumes where it stopped. Credentials come only
from the standard AWS chain and are never written anywhere by Shoebox.
"""

from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "backup_states": "core.cloud.ledger",
    "BackupProgress": "core.cloud.progress",
    "BackupStats": "core.cloud.progress",
    "CloudError": "core.cloud.errors",
    "CloudTarget": "core.cloud.target",
    "load_target": "core.cloud.target",
    "run_backup": "core.cloud.backup",
    "transfer_settings": "core.cloud.target",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
