"""A garbled page of a real catalog.db: messages, not tracebacks; writes refused; check and repair.

Each test garbles a real 4 KB page (found with SQLite's dbstat) of a copy of one real
library — a page of the photos table, of the photos_sha256 index, or the header page —
and runs the real CLI in a subprocess.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.core.catalog_pages import WHOLE, build_library, copy_library, counts, garble, page_of, shoebox
from tests.tui.helpers import run

PAGES = {"table": ("photos", "leaf"), "index": ("photos_sha256", "leaf"), "header": None,
         "last table page": ("photos", "leaf", "last")}  # fmt: skip
READS = {"ls": ("ls",), "index": ("index",), "dupes": ("dupes",), "album": ("album", "ls", "All")}
#: Which commands must fail with the message: all of them, except that a garbled index page is
#: only met by commands that read that index — and by the check that ends every `index` run,
#: which finds a garbled page an unchanged library never reads. (Album All holds every photo.)
MUST_FAIL = {(w, c) for w in ("table", "header", "last table page") for c in READS} | {("index", "index")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library(tmp_path_factory.mktemp("damage"))


def _damaged(built: Path, tmp_path: Path, where: str) -> Path:
    library = copy_library(built, tmp_path / "library")
    spec = PAGES[where]
    garble(library / "catalog.db", 1 if spec is None else page_of(library / "catalog.db", *spec))
    return library


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", list(READS))
@pytest.mark.parametrize("where", list(PAGES))
def test_a_garbled_page_gives_a_message_not_a_traceback(built: Path, tmp_path: Path, where: str, command: str) -> None:
    library = _damaged(built, tmp_path, where)
    result = shoebox(library, *READS[command])
    assert "Traceback" not in result.err
    if (where, command) in MUST_FAIL:
        assert result.code == 1, result.err
        assert "is damaged" in result.err and "shoebox catalog repair" in result.err
        assert "shoebox catalog restore" in result.err
        assert (library / "catalog.db.damaged").exists()  # remembered: writes are refused from now on
    else:
        assert result.code == 0, result.err


def test_a_garbled_index_page_does_not_go_unnoticed_by_index(built: Path, tmp_path: Path) -> None:
    library = _damaged(built, tmp_path, "index")
    result = shoebox(library, "index", "--json")
    assert result.code == 1
    assert "is damaged" in result.err and "Page" in result.err  # SQLite's own words name the page


def test_write_commands_refuse_to_write_to_a_damaged_catalog(built: Path, tmp_path: Path) -> None:
    library = _damaged(built, tmp_path, "table")
    assert shoebox(library, "ls").code == 1  # the damage is found by a read
    before = _sha(library / "catalog.db")
    for args in (("album", "add", "Other", "-q", "folder:f0"), ("tag", "add", "x", "-q", "folder:f1"),
                 ("mark", "--rating", "1", "-q", "folder:f1"), ("index",)):  # fmt: skip
        result = shoebox(library, *args)
        assert result.code == 1 and "is damaged" in result.err and "Traceback" not in result.err, (args, result.err)
    assert _sha(library / "catalog.db") == before


def test_catalog_check(built: Path, tmp_path: Path) -> None:
    whole = copy_library(built, tmp_path / "whole")
    result = shoebox(whole, "catalog", "check")
    assert (result.code, result.out.strip()) == (0, "the catalog is whole (integrity_check: ok)")
    library = _damaged(built, tmp_path, "index")
    result = shoebox(library, "catalog", "check", "--json")
    assert result.code == 1
    assert '"ok": false' in result.out and "Page" in result.out


@pytest.mark.parametrize("where", list(PAGES))
def test_repair_keeps_albums_tags_and_ratings(built: Path, tmp_path: Path, where: str) -> None:
    library = _damaged(built, tmp_path, where)
    damaged_sha = _sha(library / "catalog.db")
    assert shoebox(library, "ls").code in (0, 1)
    result = shoebox(library, "catalog", "repair")
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert counts(library / "catalog.db") == WHOLE
    assert shoebox(library, "catalog", "check").code == 0
    assert not (library / "catalog.db.damaged").exists()
    kept = list((library / "snapshots" / "kept").glob("catalog-damaged-*.db"))
    assert [_sha(k) for k in kept] == [damaged_sha]  # the damaged file, byte for byte
    listed = shoebox(library, "album", "ls", "Trip")
    assert listed.code == 0 and len(listed.out.splitlines()) == WHOLE["in Trip"]
    assert shoebox(library, "album", "add", "After", "-q", "folder:f0").code == 0  # writable again


def test_repair_without_a_snapshot_keeps_what_can_be_read(built: Path, tmp_path: Path) -> None:
    """The photos on the garbled page come back from the rescan; labels on other pages stay."""
    library = _damaged(built, tmp_path, "table")
    for snapshot in (library / "snapshots").glob("catalog-*.db"):
        snapshot.unlink()
    result = shoebox(library, "catalog", "repair", "--json")
    assert result.code == 0, result.err
    after = counts(library / "catalog.db")
    assert after["photos"] == WHOLE["photos"]  # the rescan found the files again
    lost = 15  # one leaf of the photos table holds 15 of these rows
    assert sum(after.values()) >= sum(WHOLE.values()) - lost - 3 * lost
    assert '"damaged_tables": [\n    "photos"\n  ]' in result.out


def test_the_app_shows_the_damage(built: Path, tmp_path: Path) -> None:
    import asyncio
    import time

    from textual.worker import WorkerCancelled, WorkerFailed

    from core.library import Library
    from tui.app import ShoeboxApp

    library_dir = _damaged(built, tmp_path, "table")

    async def scenario() -> list[str]:
        with Library.open(library_dir, create=False) as library:
            app = ShoeboxApp(library)
            async with app.run_test(size=(120, 40)) as pilot:
                deadline = time.monotonic() + 30  # the grid never settles: its rows cannot be read
                while not any("is damaged" in n.message for n in app._notifications) and time.monotonic() < deadline:
                    try:
                        await app.workers.wait_for_complete()
                    except (WorkerCancelled, WorkerFailed):  # stale loads are cancelled; reads of the damage fail
                        pass
                    await asyncio.sleep(0.05)
                    await pilot.pause()
                return [n.message for n in app._notifications]

    messages = run(scenario)
    assert len([m for m in messages if "is damaged" in m]) == 1
    assert any("shoebox catalog repair" in m for m in messages)


def test_the_app_does_not_start_on_a_garbled_header(built: Path, tmp_path: Path) -> None:
    library = _damaged(built, tmp_path, "header")
    result = shoebox(library)  # `shoebox` with no command opens the app
    assert result.code == 1
    assert "is damaged" in result.err and "Traceback" not in result.err


def test_indexing_in_the_app_finds_a_garbled_index_page(built: Path, tmp_path: Path) -> None:
    import asyncio
    import time

    from core.library import Library
    from tui.app import ShoeboxApp

    library_dir = _damaged(built, tmp_path, "index")

    async def scenario() -> list[str]:
        with Library.open(library_dir, create=False) as library:
            app = ShoeboxApp(library)
            async with app.run_test(size=(120, 40)) as pilot:
                await app.workers.wait_for_complete()
                assert not any("is damaged" in n.message for n in app._notifications)  # nothing reads that page
                await pilot.press("r")
                deadline = time.monotonic() + 60
                while not any("is damaged" in n.message for n in app._notifications) and time.monotonic() < deadline:
                    await app.workers.wait_for_complete()
                    await asyncio.sleep(0.05)
                    await pilot.pause()
                return [n.message for n in app._notifications]

    messages = run(scenario)
    assert any("is damaged" in m and "Page" in m for m in messages), messages
