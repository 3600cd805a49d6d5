"""Checking a candidate pair before it joins a group: metadata guards, then pixels.

Hashes only propose pairs. A pair is accepted when:

1. the files are identical (same sha256), or
2. nothing in their metadata says they are two different captures — both carry a camera
   date and the dates differ (a burst, a bracket), or both name a camera and not the
   same one — and
3. their thumbnails line up pixel for pixel (:mod:`core.duplicates.pixels`).

A whole number of quarter hours between two camera dates is read as a time-zone shift of
one capture (some converters rewrite the date), not as two captures; pixels decide then.
Every verdict carries a reason a person can read ("taken 2 s apart", "cropped to 92 %").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, UnidentifiedImageError

from core.catalog.records import Photo
from core.duplicates.keeper import EXIF_DATE_SOURCES
from core.duplicates.pixels import Picture, compare_images

#: Bumped when the verdict logic changes, so cached verdicts are recomputed.
VERIFIER_VERSION = 3
#: Upright aspect ratios further apart than this are not one photograph (a crop of up to
#: ~20 % on one side stays inside).
MAX_ASPECT_RATIO = 1.3
TIMEZONE_STEP_SECONDS = 15 * 60
MAX_TIMEZONE_SHIFT_SECONDS = 14 * 3600

PictureLoader = Callable[[Photo], Image.Image | None]


@dataclass(frozen=True, slots=True)
class Verdict:
    same: bool
    reason: str


def metadata_verdict(a: Photo, b: Photo) -> Verdict | None:
    """A decision from metadata alone (identical bytes, two captures), or None to look at pixels."""
    if a.sha256 == b.sha256:
        return Verdict(True, "identical files")
    apart = capture_seconds_apart(a, b)
    if apart is not None and apart >= 1 and not _looks_like_timezone_shift(apart):
        return Verdict(False, f"taken {_duration(apart)} apart")
    camera_a, camera_b = _camera(a), _camera(b)
    if camera_a and camera_b and camera_a != camera_b:
        return Verdict(False, "taken with different cameras")
    ratio = _aspect_ratio(a, b)
    if ratio is not None and ratio > MAX_ASPECT_RATIO:
        return Verdict(False, "different shapes")
    return None


def pixel_verdict(first: Picture | None, second: Picture | None) -> Verdict:
    if first is None or second is None:
        return Verdict(False, "no pixels to compare")
    match = compare_images(first, second)
    if not match.same_picture:
        return Verdict(False, "pixels differ")
    if match.crop < 0.97:
        return Verdict(True, f"same picture, cropped to {match.crop * 100:.0f} %")
    return Verdict(True, "same picture")


def capture_seconds_apart(a: Photo, b: Photo) -> float | None:
    """Seconds between the camera dates of two photos, when both have one."""
    if a.taken_at_source not in EXIF_DATE_SOURCES or b.taken_at_source not in EXIF_DATE_SOURCES:
        return None
    try:
        return abs((datetime.fromisoformat(a.taken_at) - datetime.fromisoformat(b.taken_at)).total_seconds())  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _looks_like_timezone_shift(seconds: float) -> bool:
    return seconds <= MAX_TIMEZONE_SHIFT_SECONDS and seconds % TIMEZONE_STEP_SECONDS == 0


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def _camera(photo: Photo) -> str:
    return " ".join(filter(None, [(photo.make or "").strip().lower(), (photo.model or "").strip().lower()]))


def _aspect_ratio(a: Photo, b: Photo) -> float | None:
    (wa, ha), (wb, hb) = a.upright_size, b.upright_size
    if not (wa and ha and wb and hb):
        return None
    ra, rb = wa / ha, wb / hb
    return max(ra, rb) / min(ra, rb)


class PictureCache:
    """Decoded thumbnails of recently compared photos, least recently used out (a photo is
    often in several pairs). Keyed by content; safe to share between verifying threads."""

    def __init__(self, load: PictureLoader, capacity: int = 512) -> None:
        self._load = load
        self._capacity = capacity
        self._pictures: OrderedDict[str, Picture | None] = OrderedDict()
        self._lock = threading.Lock()
        self.loads = 0  # thumbnails decoded (for benchmarks)

    def get(self, photo: Photo) -> Picture | None:
        key = photo.sha256
        with self._lock:
            if key in self._pictures:
                self._pictures.move_to_end(key)
                return self._pictures[key]
        try:  # outside the lock: other threads keep comparing while this one decodes
            image = self._load(photo)
            picture = Picture.of(image) if image is not None else None
        except (OSError, UnidentifiedImageError, ValueError):
            picture = None
        with self._lock:
            self.loads += 1
            picture = self._pictures.setdefault(key, picture)  # another thread may have been first
            self._pictures.move_to_end(key)
            if len(self._pictures) > self._capacity:
                self._pictures.popitem(last=False)
        return picture


def verify_pair(a: Photo, b: Photo, pictures: PictureCache) -> Verdict:
    """Are ``a`` and ``b`` copies of one photograph? (See the module docstring.)"""
    verdict = metadata_verdict(a, b)
    if verdict is not None:
        return verdict
    return pixel_verdict(pictures.get(a), pictures.get(b))
