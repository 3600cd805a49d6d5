"""Regenerate the SVG screenshots in ``screenshots/`` (shown in the README).

    python -m tui.screenshots [--out screenshots] [--size 100x30]

Builds the demo library in a temporary home directory (so paths read ``~/Pictures/…``),
drives the app headless through its main screens and saves each as SVG. Run it again
whenever the UI changes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

Scene = tuple[str, Callable[[Pilot], Awaitable[None]]]


async def settle(pilot: Pilot) -> None:
    """Wait for workers and for the timeline to draw everything it wants to."""
    from tui.widgets.timeline_grid import TimelineGrid

    app = pilot.app
    for _ in range(400):
        await app.workers.wait_for_complete()
        await pilot.pause()
        grids = list(app.query(TimelineGrid))
        if all(grid.is_settled for grid in grids) and not any(w.is_running for w in app.workers):
            await pilot.pause(0.05)
            return


async def _keys(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def scenes() -> list[Scene]:
    """(file name, steps from the previous scene) in order."""

    async def nothing(pilot: Pilot) -> None:
        await settle(pilot)

    async def photo(pilot: Pilot) -> None:
        await _keys(pilot, "right", "right", "right", "enter")
        await pilot.pause(0.2)
        await settle(pilot)

    async def back_to_list(pilot: Pilot) -> None:
        await _keys(pilot, "escape", "v")

    async def search(pilot: Pilot) -> None:
        await _keys(pilot, "v", "slash", *"camera:canon")
        await pilot.pause(0.3)
        await settle(pilot)

    async def clear_and_help(pilot: Pilot) -> None:
        await _keys(pilot, "escape", "question_mark")

    async def add_folder(pilot: Pilot) -> None:
        await _keys(pilot, "escape", "a", *"~/Pic")

    async def albums(pilot: Pilot) -> None:
        await _keys(pilot, "escape", "2")

    async def people(pilot: Pilot) -> None:
        await _keys(pilot, "3")

    async def duplicates(pilot: Pilot) -> None:
        await _keys(pilot, "4")

    return [
        ("timeline.svg", nothing),
        ("photo-view.svg", photo),
        ("timeline-list.svg", back_to_list),
        ("search.svg", search),
        ("keys.svg", clear_and_help),
        ("add-folder.svg", add_folder),
        ("albums.svg", albums),
        ("people.svg", people),
        ("duplicates.svg", duplicates),
    ]


async def take(library_dir: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    from core.library import Library
    from tui.app import ShoeboxApp

    written = []
    with Library.open(library_dir) as library:
        app = ShoeboxApp(library)
        async with app.run_test(size=size) as pilot:
            for name, steps in scenes():
                await steps(pilot)
                path = out / name
                path.write_text(
                    app.export_screenshot(title=f"Shoebox — {name[:-4].replace('-', ' ')}"), encoding="utf-8"
                )
                written.append(path)
    return written


def build_demo(home: Path) -> Path:
    """The demo photos and portraits in ``home/Pictures``, indexed (faces too) into ``home/library``."""
    from core.catalog import add_root
    from core.demo import curate_demo, make_demo_photos, make_demo_portraits, name_demo_people
    from core.indexing import index_library
    from core.library import Library
    from core.people import set_auto_scan

    make_demo_photos(home / "Pictures", 60)
    make_demo_portraits(home / "Pictures")
    with Library.open(home / "library") as library:
        add_root(library.db, str(home / "Pictures"))
        set_auto_scan(library, True)  # as `shoebox demo` does: the portraits' people are found
        index_library(library, workers=1)
        curate_demo(library)
        name_demo_people(library)
    return home / "library"


def main() -> None:
    parser = argparse.ArgumentParser(description="Regenerate the app's SVG screenshots.")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "screenshots")
    parser.add_argument("--size", default="100x30", help="terminal size, COLSxROWS")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shoebox-shots-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        os.environ["HOME"] = str(home)  # paths on screen read ~/Pictures/…
        library_dir = build_demo(home)
        for path in asyncio.run(take(library_dir, args.out, size)):  # type: ignore[arg-type]
            print(path)


if __name__ == "__main__":
    main()
