"""Albums, tags and marks: the small catalog API merging and the TUI build on."""

from __future__ import annotations

import pytest

from core.catalog.photos import store_media
from core.collections import (
    CollectionError,
    add_to_album,
    album_photo_ids,
    albums_of,
    create_album,
    delete_album,
    get_album,
    get_marks,
    list_albums,
    list_tags,
    photos_tagged,
    remove_from_album,
    set_caption,
    set_favourite,
    set_rating,
    tag_photos,
    tags_of,
    untag_photos,
)  # fmt: skip
from core.library import Library
from core.media.records import MediaInfo


@pytest.fixture
def ids(library: Library) -> list[int]:
    store_media(library.db, None, [
        MediaInfo(path=f"/p/{n}.jpg", size=1, mtime_ns=1, sha256=n, format="jpeg", kind="photo") for n in "abc"
    ])  # fmt: skip
    return [r[0] for r in library.db.query("SELECT id FROM photos ORDER BY path")]


def test_albums(library: Library, ids: list[int]) -> None:
    trip = create_album(library.db, "  Trip   2019 ")
    assert trip.name == "Trip 2019" and create_album(library.db, "Trip 2019").id == trip.id
    assert add_to_album(library.db, trip.id, ids[:2]) == 2
    assert add_to_album(library.db, trip.id, ids) == 1
    assert album_photo_ids(library.db, trip.id) == ids
    assert get_album(library.db, "Trip 2019").count == 3  # type: ignore[union-attr]
    assert remove_from_album(library.db, trip.id, [ids[0]]) == 1
    assert [a.name for a in albums_of(library.db, ids[1])] == ["Trip 2019"]
    assert [a.to_json()["photos"] for a in list_albums(library.db)] == [2]
    delete_album(library.db, trip.id)
    assert list_albums(library.db) == [] and albums_of(library.db, ids[1]) == []
    with pytest.raises(CollectionError):
        create_album(library.db, "   ")
    with pytest.raises(CollectionError, match="no album"):
        add_to_album(library.db, 999, ids)


def test_tags(library: Library, ids: list[int]) -> None:
    assert tag_photos(library.db, ids[:2], ["beach", "sunset", "beach"]) == 4
    assert tags_of(library.db, ids[0]) == ["beach", "sunset"]
    assert photos_tagged(library.db, "beach") == ids[:2]
    assert untag_photos(library.db, [ids[0]], ["beach"]) == 1
    assert [(t.name, t.count) for t in list_tags(library.db)] == [("beach", 1), ("sunset", 2)]


def test_marks(library: Library, ids: list[int]) -> None:
    set_rating(library.db, ids[:1], 4)
    set_favourite(library.db, ids[:1])
    set_caption(library.db, ids[:1], "  Dawn  ")
    assert get_marks(library.db, ids[0]).__repr__() == "Marks(rating=4, favourite=True, caption='Dawn')"
    set_rating(library.db, ids[:1], None)
    set_favourite(library.db, ids[:1], False)
    set_caption(library.db, ids[:1], "")
    assert get_marks(library.db, ids[0]) == get_marks(library.db, ids[1])
    with pytest.raises(CollectionError, match="0 to 5"):
        set_rating(library.db, ids, 6)
    assert get_marks(library.db, 999) is None
