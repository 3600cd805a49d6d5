"""What the main screens look like (pytest-textual-snapshot; update with --snapshot-update).

Deterministic by construction: generated photos with fixed pixels and EXIF dates, a fake
home so paths read ``~/Pictures/…``, fixed terminal sizes, and the app settled (every
worker done, every thumbnail drawn) before the screenshot. No clocks are shown.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from core.catalog.roots import add_root
from core.demo.pictures import landscape
from core.indexing.indexer import index_library
from core.library import Library
from tests.tui.helpers import settle
from tests.tui.people_library import PeopleLibrary, people_library  # noqa: F401 (fixture)
from tui.app import ShoeboxApp


def keys(*pressed: str):  # type: ignore[no-untyped-def]
    """A ``run_before`` that settles, presses keys, and settles again."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        if pressed:
            await pilot.press(*pressed)
            await pilot.pause(0.1)
            await settle(pilot)

    return run_before


class TestTimeline:
    def test_grid_at_80x24(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys())

    def test_cursor_moved_to_next_year(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(
            ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("right_curly_bracket", "right")
        )

    def test_list_view(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("v"))

    def test_wide_with_dates(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(130, 40), run_before=keys())

    def test_search_results(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(
            ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("slash", *"camera:canon", "enter")
        )

    def test_empty_library(self, empty_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(empty_library), terminal_size=(80, 24), run_before=keys())

    def test_no_color(self, shots_library: Library, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
        monkeypatch.setenv("NO_COLOR", "1")
        app = ShoeboxApp(shots_library)
        assert app.no_color
        assert snap_compare(app, terminal_size=(80, 24), run_before=keys("right"))


class TestPhotoView:
    def test_photo_with_metadata(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("enter"))

    def test_photo_without_panel_wide(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(
            ShoeboxApp(shots_library), terminal_size=(120, 36), run_before=keys("right", "right", "right", "enter", "i")
        )


class TestPanes:
    def test_albums_empty(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("2"))

    def test_people_empty(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("3"))

    def test_duplicates_empty(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("4"))


class TestPeople:
    """The people pane on generated face photos: crops, names first, the heading's counts."""

    def test_people_with_faces_at_80x24(self, people_library: PeopleLibrary, snap_compare) -> None:  # type: ignore[no-untyped-def]
        from core.people import name_person

        name_person(people_library.db, people_library.person_of("C"), "Carol")
        assert snap_compare(
            ShoeboxApp(people_library.library), terminal_size=(80, 24), run_before=people_keys("3", "right")
        )


def people_keys(*pressed: str):  # type: ignore[no-untyped-def]
    """``keys``, then also wait for every face crop on screen to be drawn."""

    async def run_before(pilot: Pilot) -> None:
        from tests.tui.test_people_pane import until

        await keys(*pressed)(pilot)
        await until(pilot)

    return run_before


@pytest.fixture
def review_library(home: Path) -> Library:
    """An exact copy and a half-size copy in ~/Pictures/backup, every file dated 2020-06-01 (no EXIF: mtime)."""
    pictures = home / "Pictures"
    (pictures / "trip").mkdir(parents=True)
    (pictures / "backup").mkdir()
    for seed, name in enumerate(("sea.jpg", "hills.jpg", "alone.jpg")):
        landscape(320, 240, 500 + seed * 7, texture=False).save(pictures / "trip" / name, "JPEG", quality=90)
    shutil.copy2(pictures / "trip" / "sea.jpg", pictures / "backup" / "sea copy.jpg")
    landscape(320, 240, 507, texture=False).resize((160, 120)).save(
        pictures / "backup" / "hills small.jpg", "JPEG", quality=85
    )
    for photo in pictures.rglob("*.jpg"):
        os.utime(photo, (1590998400, 1590998400))
    library = Library.open(home / "library")
    add_root(library.db, str(pictures))
    index_library(library, workers=1)
    yield library
    library.close()


class TestDuplicatesReview:
    """The review at 80×24: cards with folder and size, the comparison with what differs first."""

    def test_exact_copies_at_80x24(self, review_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(review_library), terminal_size=(80, 24), run_before=keys("4"))

    def test_near_copies_at_80x24(self, review_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(review_library), terminal_size=(80, 24), run_before=keys("4", "j"))

    def test_not_duplicates_on_exact_copies_asks(self, review_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(review_library), terminal_size=(80, 24), run_before=keys("4", "n"))


class TestDialogs:
    def test_keys(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("question_mark"))

    def test_add_folder(self, shots_library: Library, snap_compare) -> None:  # type: ignore[no-untyped-def]
        assert snap_compare(
            ShoeboxApp(shots_library), terminal_size=(80, 24), run_before=keys("a", *"/no/such", "enter")
        )
