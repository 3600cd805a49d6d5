"""A library: a directory holding the catalog, the thumbnail cache and the trash.

Opening one brings the catalog's schema up to date (migrations) and then settles, once,
work a killed process left half done (a trash move): a long-lived process (the TUI,
``watch``) opens once, and every command after a crash starts from a settled catalog.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.db import CatalogError, Database
from core.media.thumbnails import ThumbnailCache

LIBRARY_ENV = "SHOEBOX_LIBRARY"
log = logging.getLogger("shoebox.library")


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
        library = cls(path, db, ThumbnailCache(path / "thumbnails"))
        library.settle_interrupted_work()
        return library

    def settle_interrupted_work(self) -> None:
        """Finish or roll back the trash moves a killed process left (see core/trash/journal.py).

        A catalog known to be damaged is left alone until it is repaired; a settle that
        fails (a full disk, a garbled page) is said in the log and tried at the next open,
        so the library still opens — to free space or to repair it.
        """
        if self.db.damage is not None:
            return
        from core.trash.journal import recover  # the trash builds on Library

        try:
            recover(self)
        except (CatalogError, sqlite3.DatabaseError, OSError) as exc:
            log.warning("a trash move a stopped process left was not settled (%s); the next start tries again", exc)

    @property
    def trash_dir(self) -> Path:
        return self.directory / "trash"

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
