"""Progress and outcome records of a backup run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.progress import JobProgress


@dataclass(slots=True)
class BackupProgress(JobProgress):
    """A snapshot of a running backup, sent to the progress callback a few times a second.

    ``phase`` is planning, uploading, manifest or done.
    """

    failed: int = 0

    @property
    def rate(self) -> float:
        """Bytes per second so far."""
        return self.bytes_done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(slots=True)
class BackupStats:
    """What a backup run did (``--json`` prints this)."""

    target: str = ""
    dry_run: bool = False
    photos: int = 0  # photos matching the query
    contents: int = 0  # distinct contents (sha256) among them, plus sidecars
    already_backed_up: int = 0
    queued: int = 0  # newly added to the queue by this run
    uploaded: int = 0
    found_in_bucket: int = 0  # already there (another library, a rebuild): adopted without upload
    failed: int = 0
    remaining: int = 0  # still queued when the run ended (cancelled, window closed, server away)
    bytes_planned: int = 0
    bytes_uploaded: int = 0
    bytes_resumed: int = 0  # parts a resumed multipart upload did not send again
    parts_sent: int = 0
    parts_resumed: int = 0
    aborted_uploads: int = 0
    manifest: str | None = None
    catalog_snapshot: str | None = None  # the key of the catalog snapshot uploaded this run
    elapsed: float = 0.0
    cancelled: bool = False
    stopped: str | None = None  # why the run stopped early
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.bytes_uploaded / self.elapsed if self.elapsed > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["rate"] = self.rate
        return data
