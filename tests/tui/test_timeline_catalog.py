"""core/catalog/timeline.py: day counts, paging by position and positions, on a real SQLite."""

from __future__ import annotations

import random

import pytest

from core.catalog.photos import count_photos, iter_photos, store_media
from core.catalog.timeline import UNDATED, exact_copy_groups, photos_at, position_of, table_exists, timeline_index
from core.library import Library
from core.media.records import MediaInfo


def _info(index: int, taken_at: str | None, **fields: object) -> MediaInfo:
    base = dict(size=1, mtime_ns=1, sha256=f"{index:064x}", format="jpeg", kind="photo", taken_at=taken_at)
    base.update(fields)
    return MediaInfo(path=f"/p/{index:04d}.jpg", **base)  # type: ignore[arg-type]


@pytest.fixture
def filled(library: Library) -> Library:
    """300 photos over a few years (bursts on some days, several with the same second), 7 undated."""
    rng = random.Random(3)
    infos = []
    for i in range(300):
        day = rng.choice(["2008-10-22", "2008-10-23", "2008-11-02", "2009-01-01", "2012-06-30", "2024-02-29"])
        infos.append(_info(i, f"{day}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(3):02d}",
                           make=rng.choice(["NIKON", "Canon"])))  # fmt: skip
    infos += [_info(300 + i, None) for i in range(7)]
    store_media(library.db, None, infos)
    return library


@pytest.mark.parametrize("query", ["", "camera:nikon", "year:2008", "-camera:canon"])
def test_pages_by_position_match_the_catalog_order(filled: Library, query: str) -> None:
    index = timeline_index(filled.db, query)
    expected = [p.id for p in iter_photos(filled.db, query)]
    assert index.total == len(expected) == count_photos(filled.db, query)
    got = []
    for start in range(0, index.total, 13):  # pages that straddle days, months and the undated tail
        got += [p.id for p in photos_at(filled.db, index, start, 13)]
    assert got == expected
    # Any single position, anywhere.
    for offset in (0, 1, index.total // 2, index.total - 1):
        assert [p.id for p in photos_at(filled.db, index, offset, 1)] == [expected[offset]]
    assert photos_at(filled.db, index, index.total, 5) == []


def test_counts_roll_up_into_months_and_years_with_undated_last(filled: Library) -> None:
    index = timeline_index(filled.db)
    assert index.days[-1].key == UNDATED and index.days[-1].count == 7
    assert [m.key for m in index.months()] == ["2008-10", "2008-11", "2009-01", "2012-06", "2024-02", UNDATED]
    assert [y.key for y in index.years()] == ["2008", "2009", "2012", "2024", UNDATED]
    assert sum(y.count for y in index.years()) == index.total == 307
    for periods in (index.days, index.months(), index.years()):
        assert all(a.end_offset == b.first_offset for a, b in zip(periods, periods[1:]))
    assert index.day_at(0).key == "2008-10-22"
    assert index.day_at(index.total - 1).key == UNDATED


def test_position_of_finds_every_photo(filled: Library) -> None:
    index = timeline_index(filled.db, "camera:nikon")
    photos = list(iter_photos(filled.db, "camera:nikon"))
    for offset, photo in enumerate(photos):
        assert position_of(filled.db, index, photo) == offset
    # A photo the search left out: the position it would have, between its neighbours.
    canon = next(
        p
        for p in iter_photos(filled.db, "camera:canon")
        if p.taken_at and p.taken_at[:10] in {d.key for d in index.days}
    )
    where = position_of(filled.db, index, canon)
    assert where is not None
    assert all((p.taken_at, p.id) < (canon.taken_at, canon.id) for p in photos[:where])
    assert all((p.taken_at, p.id) > (canon.taken_at, canon.id) for p in photos[where:] if p.taken_at)


def test_empty_catalog(library: Library) -> None:
    index = timeline_index(library.db)
    assert index.total == 0 and index.days == [] and index.months() == []
    assert photos_at(library.db, index, 0, 10) == []


def test_exact_copies_are_grouped_by_content(filled: Library) -> None:
    db = filled.db
    assert exact_copy_groups(db) == []
    store_media(
        db,
        None,
        [_info(900, "2010-01-01T00:00:00", sha256="f" * 64), _info(901, "2010-01-02T00:00:00", sha256="f" * 64)],
    )
    groups = exact_copy_groups(db)
    assert [(g.count, g.paths) for g in groups] == [(2, ("/p/0900.jpg", "/p/0901.jpg"))]
    assert table_exists(db, "photos") and not table_exists(db, "no_such_table")


def test_a_100k_timeline_pages_quickly(library: Library) -> None:
    """The queries use the timeline index: a page deep in a big catalog costs about what the first does."""
    import time

    rng = random.Random(1)
    store_media(
        library.db,
        None,
        (
            _info(i, f"20{rng.randrange(5, 25):02d}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T12:00:00")
            for i in range(8_000)
        ),
    )
    index = timeline_index(library.db)
    plan = " ".join(str(tuple(r)) for r in library.db.query(
        "EXPLAIN QUERY PLAN SELECT * FROM photos WHERE status = 'present' AND taken_at >= ? ORDER BY taken_at, id LIMIT 64 OFFSET 3", ("2010-01-01",)))  # fmt: skip
    assert "photos_timeline" in plan and "TEMP B-TREE" not in plan
    started = time.perf_counter()
    for start in range(0, index.total, index.total // 20):
        assert len(photos_at(library.db, index, start, 64)) == min(64, index.total - start)
    assert time.perf_counter() - started < 2.0  # 20 pages; generous for a loaded CI machine
