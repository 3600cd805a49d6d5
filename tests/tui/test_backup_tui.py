"""Backup from the keyboard: `b` runs the core backup in a worker against a real SeaweedFS on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cloud import ledger
from core.cloud.keys import object_key
from core.cloud.progress import BackupProgress
from core.cloud.target import CloudTarget, parse_target, save_target
from core.library import Library
from tests.cloud.conftest import make_bucket, use_credentials
from tests.cloud.helpers import KiB, make_library, sha
from tests.cloud.seaweed import SeaweedServer
from tests.tui.helpers import run, screen_text, settle
from tui.app import ShoeboxApp
from tui.jobs.backup import BackupProgressed
from tui.widgets.status_bar import StatusBar
from tui.widgets.timeline_grid import BACKED_UP_GLYPH, TimelineGrid


@pytest.fixture
def cloud_library(library: Library, s3_server: SeaweedServer, monkeypatch: pytest.MonkeyPatch,
                  tmp_path: Path) -> tuple[Library, CloudTarget, SeaweedServer, list[Path]]:  # fmt: skip
    """Three small photos catalogued, and a fresh bucket on the session server as the target."""
    use_credentials(monkeypatch, tmp_path, s3_server)
    target = parse_target(f"s3://{make_bucket(s3_server)}/backup", endpoint_url=s3_server.endpoint)
    save_target(library.directory, target)
    paths = make_library(library, tmp_path / "photos", [20 * KiB, 30 * KiB, 40 * KiB])
    return library, target, s3_server, paths


def test_b_backs_up_in_a_worker_and_marks_the_photos(cloud_library) -> None:  # type: ignore[no-untyped-def]
    library, target, server, paths = cloud_library

    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            assert BACKED_UP_GLYPH not in screen_text(app)
            seen: list[bool] = []
            original_watch = app.watch_backing_up

            def record_backing_up() -> None:
                seen.append(app.backing_up)
                original_watch()

            app.watch_backing_up = record_backing_up  # type: ignore[method-assign]
            await pilot.press("b")  # three small files may finish before press() returns: check the transitions
            await settle(pilot)
            assert seen == [True, False]  # the upload ran in a worker and reported back
            assert not app.backing_up
            keys = {o["Key"] for o in server.client().list_objects_v2(Bucket=target.bucket).get("Contents", [])}
            for path in paths:
                assert object_key(target, sha(path)) in keys
            states = ledger.states(library.db, target.url, [sha(p) for p in paths])
            assert set(states.values()) == {"uploaded"}
            grid = app.query_one(TimelineGrid)
            assert all(grid.is_backed_up(grid.photo_at(i)) for i in range(grid.total))
            assert screen_text(app).count(BACKED_UP_GLYPH) == len(paths)
            await pilot.press("v")  # the list shows it too
            await settle(pilot)
            assert screen_text(app).count(BACKED_UP_GLYPH) == len(paths)
            assert any("Backup done" in (n.title or "") for n in app._notifications)

    run(scenario)


def test_status_line_shows_queue_and_rate(library: Library) -> None:
    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            bar = app.query_one(StatusBar)
            app.backing_up = True
            app.post_message(BackupProgressed(BackupProgress("uploading", files_total=10, files_done=3,
                                                                         bytes_done=3_000_000, elapsed=2.0)))  # fmt: skip
            await pilot.pause()
            assert bar.backup_text == "☁ 7 queued · 1.5 MB/s"
            assert "7 queued" in screen_text(app)
            assert "Stop backup" in screen_text(app)  # x stops it

    run(scenario)


def test_glyphs_appear_while_the_backup_runs(library: Library, tmp_path: Path) -> None:
    """Each progress report (at most once a second) looks again at the photos on screen."""
    target = parse_target("s3://some-bucket/backup", endpoint_url="http://127.0.0.1:9")
    save_target(library.directory, target)
    paths = make_library(library, tmp_path / "photos", [10 * KiB, 12 * KiB])

    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            assert BACKED_UP_GLYPH not in screen_text(app)
            app.backing_up = True  # as if `b` had started a backup that has uploaded one file so far
            first = sha(paths[0])
            ledger.enqueue(library.db, target.url, [(first, "original", object_key(target, first), 10 * KiB, None)])
            ledger.mark_uploaded(library.db, target.url, first, "etag")
            app.post_message(BackupProgressed(BackupProgress("uploading", files_total=2, files_done=1)))
            await settle(pilot)
            assert screen_text(app).count(BACKED_UP_GLYPH) == 2  # the status line's, and the uploaded photo's
            grid = app.query_one(TimelineGrid)
            assert [grid.is_backed_up(grid.photo_at(i)) for i in range(grid.total)].count(True) == 1

    run(scenario)


def test_b_without_a_target_says_how_to_set_one(library: Library, tmp_path: Path) -> None:
    make_library(library, tmp_path / "photos", [10 * KiB])

    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("b")
            await settle(pilot)
            assert not app.backing_up
            messages = [n.message for n in app._notifications]
            assert any("shoebox cloud set s3://" in m for m in messages)
            await pilot.press("S")
            await settle(pilot)
            assert sum("shoebox cloud set s3://" in n.message for n in app._notifications) == 2

    run(scenario)


def test_capital_s_shares_the_photo_under_the_cursor(library: Library, s3_server: SeaweedServer,
                                                     monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # fmt: skip
    from PIL import Image

    from core.share.store import list_shares
    from tests.cloud.helpers import catalogue

    use_credentials(monkeypatch, tmp_path, s3_server)
    target = parse_target(f"s3://{make_bucket(s3_server)}/backup", endpoint_url=s3_server.endpoint)
    save_target(library.directory, target)
    root = tmp_path / "photos"
    root.mkdir()
    paths = [root / "red.jpg", root / "blue.jpg"]
    for path, colour in zip(paths, ("red", "blue")):
        Image.new("RGB", (64, 48), colour).save(path)
    catalogue(library, root, paths)

    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            current = app.query_one(TimelineGrid).current_photo
            await pilot.press("S")
            await settle(pilot)
            shared = [n for n in app._notifications if n.title == "Shared"]
            assert shared and "http://127.0.0.1" in shared[0].message
            (share,) = list_shares(library.db)
            assert [item.sha256 for item in share.items] == [current.sha256]  # only that photo
            await pilot.press("enter", "right")  # the photo view shares the photo it shows
            await settle(pilot)
            shown = app.screen.photo
            assert shown is not None and shown.sha256 != current.sha256
            await pilot.press("S")
            await settle(pilot)
            assert len(app.screen_stack) == 2  # still looking at the photo
            (newest,) = [s for s in list_shares(library.db) if s.id != share.id]
            assert [item.sha256 for item in newest.items] == [shown.sha256]

    run(scenario)


def test_capital_s_with_credentials_in_the_configured_endpoint_says_why(library: Library, tmp_path: Path) -> None:
    """An old config.toml holding ``http://KEY:SECRET@host`` is refused with a notification naming it, never used."""
    from PIL import Image

    from core.config.store import config_path
    from core.share.store import list_shares
    from tests.cloud.helpers import catalogue

    root = tmp_path / "photos"
    root.mkdir()
    Image.new("RGB", (64, 48), "red").save(root / "red.jpg")
    catalogue(library, root, [root / "red.jpg"])
    config = config_path(library.directory)
    config.write_text(
        '[cloud]\ntarget = "s3://photos/backup"\nendpoint_url = "http://AKIDEXAMPLE:wJalrXUtnFEMI@127.0.0.1:9"\n'
    )

    async def scenario() -> None:
        app = ShoeboxApp(library)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("S")
            await settle(pilot)
            refused = [n for n in app._notifications if n.title == "Cannot share"]
            assert refused and str(config) in refused[0].message and "carries credentials" in refused[0].message
            assert "wJalrXUtnFEMI" not in refused[0].message
            assert list_shares(library.db) == []

    run(scenario)
