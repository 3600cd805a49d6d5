"""The app's "Indexing done" message says what each post-store stage did."""

from __future__ import annotations

from pathlib import Path

from core.library import Library
from tests.core.test_index_stages import rated_photo
from tests.tui.helpers import run, settle, until
from tui.app import ShoeboxApp


def test_indexing_done_names_the_sidecars_read(empty_library: Library, home: Path) -> None:
    rated_photo(home / "Camera/IMG_1.jpg")

    async def scenario() -> None:
        app = ShoeboxApp(empty_library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.start_indexing([str(home / "Camera")], add=True)
            await until(pilot, lambda: any(n.title == "Indexing done" for n in app._notifications))
            [done] = [n for n in app._notifications if n.title == "Indexing done"]
            assert done.message.splitlines()[-1] == "Read 1 XMP sidecar (ratings, keywords, captions)"

    run(scenario)
