"""While ``shoebox watch`` runs: a sidecar another tool changes is read; Shoebox's own writes are not news."""

from __future__ import annotations

from pathlib import Path

from core.collections import set_caption
from core.collections.annotations import annotations_of
from core.library import Library
from core.watch.changes import apply_changes
from core.xmp import write_sidecars
from tests.xmp.exiv2_tool import exiv2_edit
from tests.xmp.test_sidecar_sync import indexed, picture, pid

EMPTY = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
         '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="{rating}"/></rdf:RDF></x:xmpmeta>')  # fmt: skip


def test_changed_sidecars_and_those_of_arriving_photos_are_read(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    first = picture(photos / "A.jpg")
    indexed(library, photos)
    one = pid(library, first)

    sidecar = photos / "A.jpg.xmp"
    sidecar.write_text(EMPTY.format(rating=4))  # darktable writes a sidecar for a catalogued photo
    assert apply_changes(library, [str(sidecar)], []).sidecars_read == 1
    assert annotations_of(library.db, [one])[one].rating == 4

    set_caption(library.db, [one], "harbour")
    write_sidecars(library, [one])  # Shoebox's own write, seen by the watcher next
    assert apply_changes(library, [str(sidecar)], []).sidecars_read == 0
    exiv2_edit(sidecar, xmp__Rating="2")
    assert apply_changes(library, [str(sidecar)], []).sidecars_read == 1
    notes = annotations_of(library.db, [one])[one]
    assert (notes.rating, notes.caption) == (2, "harbour")

    second = picture(photos / "B.jpg", (10, 20, 200))  # a photo and its Lightroom sidecar copied in together
    (photos / "B.xmp").write_text(EMPTY.format(rating=5))
    stats = apply_changes(library, [str(second), str(photos / "B.xmp")], [])
    assert (stats.indexed, stats.sidecars_read) == (1, 1)
    two = pid(library, second)
    assert annotations_of(library.db, [two])[two].rating == 5
