"""Records describing what was read from one media file."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class MediaInfo:
    """Everything Shoebox reads from one file's bytes (picklable: crosses process boundaries).

    ``width``/``height`` are the stored pixel size, before EXIF orientation is applied.
    ``taken_at`` is a naive local timestamp ``YYYY-MM-DDTHH:MM:SS``; ``taken_at_source`` says
    where it came from: ``exif`` (DateTimeOriginal), ``exif-create`` (CreateDate /
    DateTimeDigitized), ``video`` (container creation time) or ``mtime`` (file time).
    ``error`` is a human reason when the file was catalogued only partly (for example a
    truncated JPEG whose header and metadata are fine but whose pixels are not).
    ``note`` says what was ignored in otherwise good metadata; it is listed by
    ``shoebox problems`` beside the catalogued photo.
    """

    path: str
    size: int
    mtime_ns: int
    sha256: str
    format: str
    kind: str  # "photo" | "video"
    width: int | None = None
    height: int | None = None
    orientation: int | None = None
    taken_at: str | None = None
    taken_at_source: str | None = None
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    exposure_time: str | None = None
    f_number: float | None = None
    iso: int | None = None
    focal_length: float | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None
    phash: str | None = None
    dhash: str | None = None
    crop_hashes: bytes | None = None  # core.media.hashing.crop_hashes
    thumbnail_written: bool = False
    thumbnail_error: str | None = None  # why the thumbnail could not be written (the photo itself is fine)
    error: str | None = None
    #: The file's identity: device and inode of the bytes read, and the real path (links
    #: resolved). Two paths with one identity are one file (core/duplicates/safety.py).
    dev: int | None = None
    ino: int | None = None
    real_path: str | None = None
    note: str | None = None  # a problem in the metadata (e.g. an invalid GPS reference); pixels are fine


class UnreadableMedia(Exception):
    """A file that cannot be catalogued at all; ``str(exc)`` is a reason a person understands."""
