"""Keyboard figure for the duplicates review: keys pressed to review N planted groups.

Plants ``--groups`` photographs (generated, with camera EXIF) each with a half-size copy in
a ``backup`` folder, indexes them into a temporary library, and drives the real app with
Pilot at 80×24: ``4`` opens the duplicates pane, then ``d`` (keep the suggestion, trash the
other copy) until no group is left. Prints the keys pressed next to the issue's target
(≤ 120 for 100 groups) and to the one-key-per-group floor, and checks every kept file is
the planted original (the suggestion was right). When the keeper marks groups
``confident``, the bulk path (``A``, then ``y`` in the confirmation) is counted too, on a
fresh copy of the same library.

Usage: ``python3 bench/dupes_keys_bench.py [--groups 100]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image  # noqa: E402

from core.catalog.roots import add_root  # noqa: E402
from core.demo.pictures import Shot, write_photo  # noqa: E402
from core.indexing.indexer import index_library  # noqa: E402
from core.library import Library  # noqa: E402

TARGET = 120


def plant(folder: Path, count: int) -> set[str]:
    """``count`` originals and a half-size copy of each; returns the originals' paths."""
    originals: set[str] = set()
    for index in range(count):
        shot = Shot(
            taken_at=f"2021:{1 + index % 12:02d}:{1 + index % 27:02d} 10:{index % 60:02d}:00",
            make="Canon",
            model="Canon EOS 40D",
        )
        original = write_photo(folder / "camera" / f"IMG_{2000 + index}.jpg", 640, 480, 9000 + index * 13, shot)
        with Image.open(original) as img:
            (folder / "backup").mkdir(parents=True, exist_ok=True)
            img.resize((320, 240)).save(folder / "backup" / f"IMG_{2000 + index}_small.jpg", quality=80)
        originals.add(str(original))
    return originals


async def review(library_dir: Path, bulk: bool, assume_confident: bool = False) -> tuple[int, int, set[str], int]:
    """Drive the app; returns (keys pressed, groups seen at the start, kept paths, groups left).

    ``assume_confident`` marks every group found confident (what the keeper decides, not
    measured here) to count the bulk path's keys on a branch where no group is.
    """
    import tui.panes.duplicates as pane_module
    from tests.tui.helpers import settle, until
    from tui.app import ShoeboxApp
    from tui.panes.duplicates import DuplicatesPane
    from tui.widgets.duplicates.confirm_dialog import ConfirmDialog

    if assume_confident:
        real = pane_module.find_groups

        def confident(*args, **kwargs):  # type: ignore[no-untyped-def]
            groups = real(*args, **kwargs)
            for group in groups:
                group.confident = True
            return groups

        pane_module.find_groups = confident

    with Library.open(library_dir) as library:
        app = ShoeboxApp(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            keys = 0

            async def press(key: str) -> None:
                nonlocal keys
                keys += 1
                await pilot.press(key)

            await press("4")
            pane = app.query_one(DuplicatesPane)
            await until(pilot, lambda: not pane.finding and pane.groups, timeout=600)
            start = len(pane.groups)
            kept: set[str] = set()
            if bulk and pane.session.bulk_plan().groups:
                keepers = {g.key: g.keeper.path for g in pane.session.bulk_plan().groups}
                await press("A")
                await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
                await press("y")
                await until(
                    pilot, lambda: not pane.busy and not any(g.key in keepers for g in pane.groups), timeout=600
                )
                kept |= set(keepers.values())
            while pane.groups:
                group = pane.current_group
                kept |= {p.path for p in group.photos if p.id in pane.keep_ids(group)}
                await press("d")
                await until(
                    pilot,
                    lambda group=group: not pane.busy and group.key not in {g.key for g in pane.groups},
                    timeout=120,
                )
            return keys, start, kept, len(pane.groups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--assume-confident", action="store_true",
                        help="count the bulk path as if the keeper were sure of every group")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        originals = plant(base / "photos", args.groups)
        with Library.open(base / "library") as library:
            add_root(library.db, str(base / "photos"))
            index_library(library, workers=2)
        shutil.copytree(base / "library", base / "library-bulk")
        shutil.copytree(base / "photos", base / "photos-pristine")

        keys, start, kept, left = asyncio.run(review(base / "library", bulk=False))
        right = len(kept & originals)
        print(f"one by one: {keys} keys for {start} groups ({keys / max(start, 1):.2f} per group); "
              f"target ≤ {TARGET} for 100 groups, floor {start + 1} (4, then one d per group); ratio to target {keys / TARGET:.2f}")  # fmt: skip
        print(f"  suggested keeper right in {right} of {start} groups; groups left {left}")

        # The bulk path on the same library as it was before the review.
        shutil.rmtree(base / "photos")
        shutil.copytree(base / "photos-pristine", base / "photos")
        keys, start, kept, left = asyncio.run(
            review(base / "library-bulk", bulk=True, assume_confident=args.assume_confident)
        )
        assumed = " (every group assumed confident)" if args.assume_confident else ""
        print(f"bulk{assumed} (A, y when any group is confident) then d for the rest: {keys} keys for {start} groups; "
              f"right {len(kept & originals)} of {start}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
