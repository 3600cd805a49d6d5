"""Albums, tags and marks (rating, favourite, caption): what a person adds to photos.

All SQL for these lives here; functions take the catalog :class:`~core.catalog.db.Database`
and write in one transaction each. Tables (catalog migration 2): ``albums``,
``album_photos``, ``tags``, ``photo_tags`` and the ``rating``/``favourite``/``caption``
columns of ``photos``.
"""

from core.collections.albums import (
    add_to_album,
    add_to_album_named,
    album_photo_ids,
    albums_of,
    create_album,
    delete_album,
    get_album,
    list_albums,
    photos_in_album_named,
    remove_from_album,
    set_albums_of,
)
from core.collections.marks import Marks, get_marks, set_caption, set_favourite, set_rating
from core.collections.records import Album, CollectionError, Tag
from core.collections.tags import list_tags, photos_tagged, set_tags_of, tag_photos, tags_of, untag_photos

__all__ = [
    "Album", "CollectionError", "Marks", "Tag", "add_to_album", "add_to_album_named", "album_photo_ids", "albums_of",
    "create_album", "delete_album", "get_album", "get_marks", "list_albums", "list_tags",
    "photos_in_album_named", "photos_tagged", "remove_from_album", "set_albums_of", "set_caption", "set_favourite", "set_rating",
    "set_tags_of", "tag_photos",
    "tags_of", "untag_photos",
]  # fmt: skip


from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "Annotations": "core.collections.annotations",
    "annotations_of": "core.collections.annotations",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
