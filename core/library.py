"""A library: a directory holding the catalog, the thumbnail cache and (later) the trash."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.db import Database
from core.media.thumbnails import ThumbnailCache

LIBRARY_ENV = "SHOEBOX_LIBRARY"


def default_library_dir() -> Path:
    """``$SHOEBOX_LIBRARY``, else the platform's user data directory for Shoebox."""
    if env := os.environ.get(LIBRARY_ENV):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("shoebox", appauthor=False))


@dataclass
class Library:
    """Paths of one library and its open catalog. Photos themselves live elsewhere, in roots."""

    directory: Path
    db: Database = field(repr=False)
    thumbnails: ThumbnailCache = field(repr=False)

    @classmethod
    def open(cls, directory: Path | str | None = None) -> Library:
        """Open (creating if needed) the library at ``directory`` or the default location."""
        path = Path(directory).expanduser() if directory else default_library_dir()
        path = path.absolute()
        path.mkdir(parents=True, exist_ok=True)
        db = Database(path / "catalog.db")
        return cls(path, db, ThumbnailCache(path / "thumbnails"))

    @property
    def trash_dir(self) -> Path:
        return self.directory / "trash"

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
