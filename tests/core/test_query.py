"""The query language compiles to SQL that finds the right photos."""

from __future__ import annotations

import pytest

from core.catalog.photos import count_photos, iter_photos, store_media
from core.catalog.query import QueryError, parse_query
from core.library import Library
from core.media.records import MediaInfo


def _info(path: str, **fields: object) -> MediaInfo:
    base = dict(size=1, mtime_ns=1, sha256=path, format="jpeg", kind="photo")
    base.update(fields)
    return MediaInfo(path=path, **base)  # type: ignore[arg-type]


@pytest.fixture
def filled(library: Library) -> Library:
    store_media(library.db, None, [
        _info("/p/trip/a.jpg", make="NIKON", model="COOLPIX P6000", taken_at="2008-10-22T16:28:39", gps_lat=1.0, gps_lon=2.0),
        _info("/p/trip/b.png", format="png", make="Canon", model="Canon EOS 40D", taken_at="2008-05-30T15:56:01"),
        _info("/p/home/c.mov", format="mov", kind="video", taken_at="2021-04-11T15:47:53"),
        _info("/p/home/100%_d.jpg", taken_at=None),
    ])  # fmt: skip
    return library


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"a", "b", "c", "100%_d"}),
        ("camera:nikon", {"a"}),
        ("camera:EOS", {"b"}),
        ("-camera:nikon", {"b", "c", "100%_d"}),
        ("year:2008", {"a", "b"}),
        ("year:2009..2022", {"c"}),
        ("date:2008-10", {"a"}),
        ("date:2008-05-30..2008-10-22", {"a", "b"}),
        ("date:..2008-06", {"b"}),
        ("format:jpg", {"a", "100%_d"}),
        ("kind:video", {"c"}),
        ("gps:yes", {"a"}),
        ("trip", {"a", "b"}),
        ("trip -format:png", {"a"}),
        ("100%", {"100%_d"}),
        ('"path:home/c"', {"c"}),
    ],
)
def test_queries_find_the_right_photos(filled: Library, query: str, expected: set[str]) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in iter_photos(filled.db, query)}
    assert names == expected
    assert count_photos(filled.db, query) == len(expected)


@pytest.fixture
def curated(filled: Library) -> Library:
    """Albums, tags and marks on the filled library: what the search combines with the metadata."""
    from core.collections import add_to_album, create_album, set_caption, set_favourite, set_rating, tag_photos

    ids = {p.name.rsplit(".", 1)[0]: p.id for p in iter_photos(filled.db)}
    add_to_album(filled.db, create_album(filled.db, "Madrid 2021").id, [ids["a"], ids["c"]])
    add_to_album(filled.db, create_album(filled.db, "Madrid").id, [ids["b"]])
    tag_photos(filled.db, [ids["a"], ids["b"]], ["Family"])
    set_rating(filled.db, [ids["a"]], 5)
    set_rating(filled.db, [ids["b"]], 3)
    set_favourite(filled.db, [ids["c"]], True)
    set_caption(filled.db, [ids["b"]], "Grandma's birthday")
    return filled


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"album:Madrid 2021"', {"a", "c"}),
        ("album:madrid", {"b"}),  # the whole name, any case: not every album with it in its name
        ("-album:madrid", {"a", "c", "100%_d"}),
        ("tag:family", {"a", "b"}),
        ("tag:family year:2008 -format:png", {"a"}),
        ("rating:5", {"a"}),
        ("rating:3..", {"a", "b"}),
        ("rating:..3", {"b", "c", "100%_d"}),  # unrated counts as 0
        ("rating:0", {"c", "100%_d"}),
        ("favourite:yes", {"c"}),
        ("favorite:no", {"a", "b", "100%_d"}),
        ("caption:birthday", {"b"}),
        ('"album:Madrid 2021" kind:video', {"c"}),
    ],
)
def test_albums_tags_and_marks_combine_with_the_rest(curated: Library, query: str, expected: set[str]) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in iter_photos(curated.db, query)}
    assert names == expected
    assert count_photos(curated.db, query) == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [("colour:red", "unknown filter 'colour:'"), ("year:08", "not a year"), ("date:yesterday", "not a date"),
     ('"unbalanced', "unbalanced quotes"), ("camera:", "needs a value"), ("gps:maybe", "yes or no"),
     ("rating:6", "not a rating"), ("rating:..", "not a rating"), ("album:", 'album:"Summer 2019"')],
)  # fmt: skip
def test_bad_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_timeline_order_is_by_date_with_undated_last(filled: Library) -> None:
    assert [p.name for p in iter_photos(filled.db)] == ["b.png", "a.jpg", "c.mov", "100%_d.jpg"]
