"""tui/widgets/timeline_loader.py without an app: pages, LRU eviction, stale views, thumbnail queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from core.catalog.photos import store_media
from core.catalog.timeline import photos_at, timeline_index
from core.cloud import ledger
from core.cloud.target import parse_target, save_target
from core.config.store import config_path
from core.library import Library
from core.media.records import MediaInfo
from tui.widgets.timeline_loader import MISSING, PAGE_SIZE, EarlyCount, TimelineLoader

BACKGROUND = (0, 0, 0)


def _store(library: Library, folder: Path, count: int) -> None:
    """``count`` real JPEGs, one a minute on a few days, so thumbnails can be made."""
    folder.mkdir(parents=True, exist_ok=True)
    infos = []
    for i in range(count):
        path = folder / f"IMG_{i:04d}.jpg"
        if i < 8:  # a few real pictures; the rest share their pixels through hard links
            Image.new("RGB", (64, 48), (i * 30 % 256, 80, 160)).save(path)
        else:
            path.hardlink_to(folder / f"IMG_{i % 8:04d}.jpg")
        infos.append(MediaInfo(path=str(path), size=path.stat().st_size, mtime_ns=1, sha256=f"{i:064x}", format="jpeg",
                               kind="photo", width=64, height=48, taken_at=f"2020-0{1 + i // 100}-01T{i // 60 % 24:02d}:{i % 60:02d}:00"))  # fmt: skip
    store_media(library.db, None, infos)


@pytest.fixture
def stocked(library: Library, tmp_path: Path) -> Library:
    _store(library, tmp_path / "photos", 300)
    return library


def test_pages_come_by_position_and_match_the_catalog(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    generation = loader.show(index)
    assert loader.photo(0) is None and loader.missing_pages([0, 1, PAGE_SIZE, 3 * PAGE_SIZE]) == [0, 1, 3]
    for page in (0, 1, 4):
        loaded = loader.fetch_page(generation, index, page)
        assert loaded is not None and loader.accept_page(loaded)
    expected = photos_at(stocked.db, index, 0, index.total)
    assert [loader.photo(o).id for o in range(2 * PAGE_SIZE)] == [p.id for p in expected[: 2 * PAGE_SIZE]]  # type: ignore[union-attr]
    assert loader.photo(4 * PAGE_SIZE).id == expected[4 * PAGE_SIZE].id  # type: ignore[union-attr]
    assert loader.photo(index.total) is None  # past the end of the short last page
    assert loader.missing_pages(range(0, 5 * PAGE_SIZE, 10)) == [2, 3]


def test_the_least_recently_used_page_is_evicted(stocked: Library) -> None:
    loader = TimelineLoader(stocked, page_capacity=2)
    index = timeline_index(stocked.db)
    generation = loader.show(index)
    for page in (0, 1):
        loader.accept_page(loader.fetch_page(generation, index, page))  # type: ignore[arg-type]
    assert loader.photo(5) is not None  # page 0 is now the most recently used
    loader.accept_page(loader.fetch_page(generation, index, 2))  # type: ignore[arg-type]
    assert loader.has_page(0) and loader.has_page(2) and not loader.has_page(1)
    assert loader.cached_pages == 2


def test_results_for_a_stale_view_are_dropped(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    everything = timeline_index(stocked.db)
    old = loader.show(everything)
    fetched_before = loader.fetch_page(old, everything, 0)
    searched = timeline_index(stocked.db, "date:2020-02")
    new = loader.show(searched)  # a search while the page was on its way
    assert new == old + 1
    assert fetched_before is not None and not loader.accept_page(fetched_before)
    assert loader.photo(0) is None
    assert loader.fetch_page(old, everything, 1) is None  # a worker still on the old view stops before querying
    assert not loader.accept_backup_marks(old, {"a" * 64})
    loaded = loader.fetch_page(new, searched, 0)
    assert loaded is not None and loader.accept_page(loaded)
    assert loader.photo(0).taken_at.startswith("2020-02")  # type: ignore[union-attr]


def test_thumbnails_are_decoded_newest_first_and_cancelled_when_off_screen(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    generation = loader.show(index)
    loader.accept_page(loader.fetch_page(generation, index, 0))  # type: ignore[arg-type]
    photos = [loader.photo(o) for o in range(20)]
    first_screen = [((p.sha256, 10, 5), p) for p in photos[:10]]  # type: ignore[union-attr]
    loader.set_on_screen(key for key, _ in first_screen)
    assert loader.want_thumbnails(first_screen)  # nothing drains the queue yet: start a worker
    assert not loader.want_thumbnails(first_screen)  # one worker at a time
    key, photo = loader.next_thumbnail()  # type: ignore[misc]
    assert key == first_screen[-1][0]  # newest first
    drawn = loader.draw_thumbnail(key, photo, BACKGROUND)
    assert drawn is not None and len(drawn) == 5 and drawn[0].cell_length == 10
    loader.accept_thumbnails({key: drawn})
    assert loader.thumbnail(key) is drawn and loader.thumbnail(first_screen[0][0]) is MISSING
    # Page down: the nine still queued for the first screen are never decoded.
    second_screen = [((p.sha256, 10, 5), p) for p in photos[10:]]  # type: ignore[union-attr]
    loader.set_on_screen(key for key, _ in second_screen)
    loader.want_thumbnails(second_screen[:3])
    popped = []
    while (item := loader.next_thumbnail()) is not None:
        popped.append(item[0])
    assert popped == [k for k, _ in reversed(second_screen[:3])]
    assert loader.thumbnails_pending  # until the grid has the worker's last batch
    assert not loader.worker_ended() and not loader.thumbnails_pending


def test_a_decode_queued_after_the_workers_last_look_starts_another(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    generation = loader.show(index)
    loader.accept_page(loader.fetch_page(generation, index, 0))  # type: ignore[arg-type]
    wanted = [((loader.photo(o).sha256, 10, 5), loader.photo(o)) for o in range(2)]  # type: ignore[union-attr]
    loader.set_on_screen(key for key, _ in wanted)
    assert loader.want_thumbnails(wanted[:1])
    assert loader.next_thumbnail() is not None and loader.next_thumbnail() is None  # the worker is about to end
    assert not loader.want_thumbnails(wanted[1:])  # its end is not yet seen by the grid
    assert loader.worker_ended()  # so the grid starts another for the one queued meanwhile
    assert loader.next_thumbnail() == wanted[1]


def test_the_thumbnail_cache_is_bounded(stocked: Library) -> None:
    loader = TimelineLoader(stocked, thumbnail_capacity=3)
    loader.accept_thumbnails({(f"{i:064x}", 10, 5): None for i in range(5)})
    assert [loader.thumbnail((f"{i:064x}", 10, 5)) is MISSING for i in range(5)] == [True, True, False, False, False]


def test_a_new_view_cancels_every_queued_decode(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    loader.accept_page(loader.fetch_page(loader.show(index), index, 0))  # type: ignore[arg-type]
    wanted = [((loader.photo(o).sha256, 10, 5), loader.photo(o)) for o in range(5)]  # type: ignore[union-attr]
    loader.set_on_screen(key for key, _ in wanted)
    loader.want_thumbnails(wanted)
    loader.show(timeline_index(stocked.db, "camera:nikon"))  # a search
    assert loader.next_thumbnail() is None


def test_backup_marks_come_from_the_ledger_in_the_worker(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    generation = loader.show(index)
    loaded = loader.fetch_page(generation, index, 0)
    assert loaded is not None and loaded.backed_up == frozenset()  # no target: nothing read from the ledger
    target = parse_target("s3://bucket/photos")
    save_target(stocked.directory, target)
    first = loaded.photos[0]
    ledger.enqueue(stocked.db, target.url, [(first.sha256, "original", "k", 1, first.fs_path)])
    ledger.mark_uploaded(stocked.db, target.url, first.sha256, "etag")
    assert loader.fetch_backup_marks({first.sha256}) == frozenset()  # the target is read once per view…
    assert loader.fetch_backup_marks({first.sha256}, look_again=True) == {first.sha256}  # …unless a backup started
    assert loader.accept_backup_marks(generation, {first.sha256})
    assert loader.is_backed_up(first) and loader.unmarked(loaded.photos[:3]) == {p.sha256 for p in loaded.photos[1:3]}


def test_a_broken_config_means_no_marks_not_a_crash(stocked: Library) -> None:
    config_path(stocked.directory).write_text("[cloud\nthis is not toml")
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    loaded = loader.fetch_page(loader.show(index), index, 0)
    assert loaded is not None and len(loaded.photos) == PAGE_SIZE and loaded.backed_up == frozenset()


def test_the_early_count_is_the_timeline_and_its_first_page(stocked: Library) -> None:
    early = EarlyCount(stocked)
    taken = early.take()
    assert taken is not None
    index, first_page = taken
    assert index.days == timeline_index(stocked.db).days
    assert [p.id for p in first_page] == [p.id for p in photos_at(stocked.db, index, 0, PAGE_SIZE)]
    loader = TimelineLoader(stocked)
    loader.show(index, first_page)
    assert loader.photo(0).id == first_page[0].id and loader.missing_pages([0, PAGE_SIZE]) == [1]  # type: ignore[union-attr]


def test_an_early_count_made_stale_by_a_write_is_not_used(stocked: Library, tmp_path: Path) -> None:
    early = EarlyCount(stocked)
    assert early.counted.wait(30)
    _store(stocked, tmp_path / "more", 3)  # committed on another connection after the count
    assert early.take() is None  # the pane then counts again


def test_pages_read_with_a_count_are_the_screen_around_the_cursor(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    read = loader.read_around(index, 150, 40)  # photos 110..190: pages 1 and 2, whole
    assert sorted(read.pages) == [1, 2]
    expected = photos_at(stocked.db, index, 0, index.total)
    for page, photos in read.pages.items():
        assert [p.id for p in photos] == [p.id for p in expected[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    loader.show(index, read=read)
    assert loader.missing_pages(range(110, 191)) == [] and loader.missing_pages([0, 200]) == [0, 3]
    last = loader.read_around(index, index.total - 1, 40).pages  # photos 259..299: the short last page
    assert sorted(last) == [4] and len(last[4]) == index.total - 4 * PAGE_SIZE


def test_held_thumbnails_are_dropped_and_none_queued_until_the_new_timeline_shows(stocked: Library) -> None:
    loader = TimelineLoader(stocked)
    index = timeline_index(stocked.db)
    loader.accept_page(loader.fetch_page(loader.show(index), index, 0))  # type: ignore[arg-type]
    photo = loader.photo(0)
    assert photo is not None
    key = (photo.sha256, 8, 4)
    loader.set_on_screen([key])
    assert loader.want_thumbnails([(key, photo)])
    loader.hold_thumbnails()  # a search starts
    assert loader.next_thumbnail() is None and not loader.worker_ended()
    assert not loader.want_thumbnails([(key, photo)])  # the old screen redraws: nothing queued
    loader.show(timeline_index(stocked.db, "date:2020-01"))  # the results: decoding goes on
    loader.set_on_screen([key])
    assert loader.want_thumbnails([(key, photo)])
