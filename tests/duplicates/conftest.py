"""Fixtures for the duplicates tests: a library indexed from generated photos."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.catalog.photos import get_photo_by_path
from core.catalog.records import Photo
from core.catalog.roots import add_root
from core.indexing.indexer import index_library
from core.library import Library


@pytest.fixture
def index(library: Library) -> Callable[..., Library]:
    """Register folders (``reference=True`` marks them never-trash) and index them in-process."""

    def run(*folders: Path, reference: bool = False) -> Library:
        for folder in folders:
            add_root(library.db, str(folder), reference=reference)
        index_library(library, workers=1)
        return library

    return run


def photo(library: Library, path: Path) -> Photo:
    found = get_photo_by_path(library.db, str(path))
    assert found is not None, f"{path} was not indexed"
    return found
