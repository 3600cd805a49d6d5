"""The thumbnail cache: one small upright JPEG per distinct content (keyed by sha256).

Files live at ``<library>/thumbnails/ab/abcdef….jpg``; writes are atomic (temp file +
rename), so a crash never leaves a half-written thumbnail that looks valid. The cache is
picklable so worker processes can write into it while indexing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from core.media.records import UnreadableMedia

THUMBNAIL_SIZE = 256
THUMBNAIL_QUALITY = 82
#: Name prefix of thumbnails being written; a kill -9 can leave one behind.
PART_PREFIX = ".thumb-"


@dataclass(frozen=True)
class ThumbnailCache:
    """Thumbnails under ``root``; see the module docstring."""

    root: Path

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.jpg"

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def write(self, sha256: str, image: Image.Image) -> Path:
        """Store a thumbnail of ``image`` (already upright), replacing any older one."""
        target = self.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        small = image if max(image.size) <= THUMBNAIL_SIZE else _shrunk(image)
        fd, tmp = tempfile.mkstemp(prefix=PART_PREFIX, suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                small.convert("RGB").save(handle, "JPEG", quality=THUMBNAIL_QUALITY, optimize=False)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def remove_stale_parts(self, older_than: float = 3600.0) -> int:
        """Delete half-written thumbnails left by a killed run; returns how many."""
        import time

        removed = 0
        cutoff = time.time() - older_than
        for part in self.root.glob(f"*/{PART_PREFIX}*.part"):
            try:
                if part.stat().st_mtime < cutoff:
                    part.unlink()
                    removed += 1
            except OSError:
                pass
        return removed

    def sweep_if_due(self, every: float = 86400.0) -> int:
        """:meth:`remove_stale_parts`, at most once per ``every`` seconds: the sweep lists
        every shard folder, which is too much to do after each small incremental index."""
        import time

        marker = self.root / ".swept"
        try:
            if time.time() - marker.stat().st_mtime < every:
                return 0
        except FileNotFoundError:
            pass
        removed = self.remove_stale_parts()
        self.root.mkdir(parents=True, exist_ok=True)
        marker.touch()
        return removed

    def ensure(self, source: Path | str, sha256: str) -> Path | None:
        """The thumbnail's path, made from ``source`` if missing; None when it has no pixels."""
        target = self.path_for(sha256)
        if target.is_file():
            return target
        from core.media.decode import load_upright

        try:
            image = load_upright(source, max_side=THUMBNAIL_SIZE)
        except UnreadableMedia:
            return None
        return self.write(sha256, image)


def _shrunk(image: Image.Image) -> Image.Image:
    """At most THUMBNAIL_SIZE px: a box reduction by a whole factor (fast, sharp enough),
    then a bilinear step only if that was not enough."""
    factor = -(-max(image.size) // THUMBNAIL_SIZE)
    small = image.reduce(factor) if factor >= 2 else image.copy()
    if max(small.size) > THUMBNAIL_SIZE:
        small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.BILINEAR)
    return small
