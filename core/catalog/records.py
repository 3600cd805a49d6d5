"""Records read from the catalog: plain dataclasses, no database access."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import asdict, dataclass, fields


@dataclass(slots=True)
class Root:
    """A folder the user registered; photos are indexed in place below it."""

    id: int
    path: str
    added_at: str
    reference: bool
    last_indexed_at: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Root:
        return cls(row["id"], row["path"], row["added_at"], bool(row["reference"]), row["last_indexed_at"])


@dataclass(slots=True)
class Photo:
    """One catalogued file (a photo or a video)."""

    id: int
    root_id: int | None
    path: str
    path_bytes: bytes | None
    folder: str
    size: int
    mtime_ns: int
    sha256: str
    format: str
    kind: str
    width: int | None
    height: int | None
    orientation: int | None
    taken_at: str | None
    taken_at_source: str | None
    make: str | None
    model: str | None
    lens: str | None
    exposure_time: str | None
    f_number: float | None
    iso: int | None
    focal_length: float | None
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    phash: str | None
    dhash: str | None
    status: str
    indexed_at: str
    error: str | None
    rating: int | None = None  # 0–5 stars the user gave (core/collections/marks.py)
    favourite: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Photo:
        return cls(*(row[name] for name in PHOTO_COLUMNS))

    @property
    def fs_path(self) -> str:
        """The path to open on disk (exact even when the name is not valid UTF-8)."""
        return os.fsdecode(self.path_bytes) if self.path_bytes is not None else self.path

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    @property
    def upright_size(self) -> tuple[int | None, int | None]:
        """Width and height as the photo is shown (orientations 5–8 swap them)."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height

    @property
    def camera(self) -> str | None:
        """ "Canon EOS 40D", not "Canon Canon EOS 40D": the make once, then the model."""
        make, model = (self.make or "").strip(), (self.model or "").strip()
        if model.lower().startswith(make.split(" ")[0].lower()) and make:
            return model
        return " ".join(filter(None, [make, model])) or None

    def to_json(self) -> dict[str, object]:
        """The public JSON form (scripts depend on these keys; add, never rename)."""
        data = asdict(self)
        data.pop("path_bytes")
        data.pop("mtime_ns")
        data["mtime"] = self.mtime_ns / 1e9
        data["favourite"] = bool(self.favourite)
        return data


PHOTO_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Photo))


@dataclass(slots=True)
class Problem:
    """A file that Shoebox could not catalogue (fully), with a reason a person understands."""

    path: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}
