"""A library: a directory holding the catalog, the thumbnail cache and (later) the trash."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.db import CatalogError, Database
from core.media.thumbnails import ThumbnailCache

LIBRARY_ENV = "SHOEBOX_LIBRARY"


def default_library_dir() -> Path:
    """``$SHOEBOX_LIBRARY``, else the platform's user data directory for Shoebox."""
    if env := os.environ.get(LIBRARY_ENV):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("shoebox", appauthor=False))


def library_directory(directory: Path | str | None = None) -> Path:
    """The absolute library directory for ``directory`` (None: the default); "" is an error."""
    if directory is not None and not str(directory).strip():
        raise CatalogError("the library path is empty: give a directory (or leave --library out for the default)")
    path = Path(directory).expanduser() if directory is not None else default_library_dir()
    return path.absolute()


@dataclass
class Library:
    """Paths of one library and its open catalog. Photos themselves live elsewhere, in roots."""

    directory: Path
    db: Database = field(repr=False)
    thumbnails: ThumbnailCache = field(repr=False)

    @classmethod
    def open(cls, directory: Path | str | None = None, *, create: bool = True) -> Library:
        """Open the library at ``directory`` or the default location, creating it when ``create``.

        Without ``create`` a directory holding no catalog is an error (a mistyped path must
        not quietly become an empty library); an empty path is always one.
        """
        path = library_directory(directory)
        if not create and not (path / "catalog.db").exists():
            raise CatalogError(
                f"there is no library at {path} (no catalog.db there): check the path, "
                "or create a library with `shoebox add FOLDER`"
            )
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
