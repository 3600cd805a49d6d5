"""Resolving in the duplicates pane on aliased roots (one folder catalogued by two paths) loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.demo.pictures import landscape
from core.indexing.indexer import index_library
from core.library import Library
from core.trash.files import sha256_of
from tests.tui.helpers import run, settle
from tui.app import ShoeboxApp
from tui.panes.duplicates import DuplicatesPane


def key_for(binding_id: str) -> str:
    """The key the pane binds to an action (looked up by its stable id, not assumed)."""
    return next(b.key for b in DuplicatesPane.BINDINGS if getattr(b, "id", None) == binding_id).split(",")[0]


@pytest.fixture
def aliased_library(home: Path) -> Library:
    """``Pictures`` (one photo and a true copy of it) and ``alias`` → ``Pictures``, both roots
    and both indexed, as an older Shoebox let happen: four catalogued paths, two files."""
    pictures = home / "Pictures"
    (pictures / "trip").mkdir(parents=True)
    (pictures / "backup").mkdir()
    landscape(320, 240, 600, texture=False).save(pictures / "trip" / "sea.jpg", "JPEG", quality=90)
    shutil.copy2(pictures / "trip" / "sea.jpg", pictures / "backup" / "sea copy.jpg")
    (home / "alias").symlink_to(pictures, target_is_directory=True)
    library = Library.open(home / "library")
    with library.db.transaction() as conn:
        for root in (pictures, home / "alias"):
            conn.execute("INSERT INTO roots (path, added_at) VALUES (?, '2025-01-01T00:00:00')", (str(root),))
    index_library(library, [str(home / "alias")], workers=1)
    index_library(library, [str(pictures)], workers=1)
    assert library.db.scalar("SELECT count(*) FROM photos WHERE status = 'present'") == 4
    yield library
    library.close()


def test_keeping_a_copy_on_aliased_roots_trashes_only_the_other_file(aliased_library: Library, home: Path) -> None:
    pictures = home / "Pictures"
    content = sha256_of(pictures / "trip" / "sea.jpg")

    async def scenario() -> None:
        app = ShoeboxApp(aliased_library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("4")
            pane = app.query_one(DuplicatesPane)
            for _ in range(100):
                await settle(pilot)
                if not pane.finding and pane.groups and pane.current_member is not None:
                    break
            [group] = pane.groups
            assert len(group.photos) == 2  # two files, not four paths
            await pilot.press(key_for("duplicates.keep"))
            for _ in range(100):
                await settle(pilot)
                if not pane.groups:
                    break
            assert pane.groups == []

    run(scenario)
    remaining = [p for p in (pictures / "trip" / "sea.jpg", pictures / "backup" / "sea copy.jpg") if p.exists()]
    assert len(remaining) == 1 and sha256_of(remaining[0]) == content
    alias_path = home / "alias" / remaining[0].relative_to(pictures)
    assert alias_path.exists() and sha256_of(alias_path) == content
