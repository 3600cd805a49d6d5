"""Progress and outcome records of an indexing run (reported through callbacks)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from core.indexing.stages import StageResult
from core.progress import JobProgress


@dataclass(slots=True)
class IndexProgress(JobProgress):
    """A snapshot of a running index, sent to the progress callback a few times a second.

    ``phase`` is "scanning", "indexing", a stage's name ("sidecars") or "done"; ``files_total`` counts the files that need
    reading (new or changed).
    """

    files_seen: int = 0
    problems: int = 0

    @property
    def rate(self) -> float:
        """Files read per second so far."""
        return self.files_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, estimated from the byte rate (None until there is a rate)."""
        if self.phase != "indexing" or self.bytes_done <= 0 or self.elapsed <= 0:
            return None
        return (self.bytes_total - self.bytes_done) / (self.bytes_done / self.elapsed)


@dataclass(slots=True)
class IndexStats:
    """What an indexing run did. Unless cancelled, ``indexed + unchanged + problems ==
    files_seen``: every file seen ends in the catalog or in ``shoebox problems``."""

    roots: int = 0
    files_seen: int = 0  # media files (and unreadable entries) the walk met
    unchanged: int = 0
    indexed: int = 0  # files read and catalogued without a problem this run
    stored: int = 0  # photos written to the catalog (problem files catalogued partly included)
    problems: int = 0  # files (or folders) now listed by `shoebox problems`
    missing: int = 0  # catalogued files no longer found
    bytes_read: int = 0
    elapsed: float = 0.0
    cancelled: bool = False
    thumbnails_failed: int = 0  # photos catalogued without a thumbnail (the library's disk refused it)
    thumbnail_problem: str | None = None  # the first reason, e.g. "No space left on device"
    stages: list[StageResult] = field(default_factory=list)  # what each post-store stage did, in order

    @property
    def sidecars_read(self) -> int:
        """New photos whose XMP sidecars (other tools' ratings, keywords) were read."""
        return self.stage_figure("sidecars", "read")

    def stage_figure(self, stage: str, figure: str) -> int:
        """One figure of one stage's result (0 when the stage did not run)."""
        return sum(result.figures.get(figure, 0) for result in self.stages if result.stage == stage)

    @property
    def stage_summaries(self) -> list[str]:
        """The summary line of each stage that did something."""
        return [result.summary for result in self.stages if result.summary]

    def to_json(self) -> dict[str, object]:
        """The run's figures; ``sidecars_read`` stays a key of its own for scripts."""
        figures = asdict(self)
        del figures["stages"]
        return {**figures, "sidecars_read": self.sidecars_read, "stages": [r.to_json() for r in self.stages]}
