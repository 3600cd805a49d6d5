"""``shoebox xmp auto``: sidecars kept in step when marks change, and after a duplicate merge."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.collections import set_rating
from core.config.store import set_value
from core.demo.pictures import Shot
from core.duplicates import find_groups, resolve_group, undo_resolution
from core.library import Library
from core.xmp import auto_mode, set_auto_mode, sync_after_change
from core.xmp.fields import parse_coordinate
from tests.duplicates.conftest import index, photo  # noqa: F401  (fixture)
from tests.duplicates.pictures import save, scene
from tests.xmp.exiv2_tool import exiv2_read
from tests.xmp.test_sidecar_sync import indexed, picture, pid


def test_modes_decide_which_sidecars_follow_a_change(library: Library, tmp_path: Path) -> None:
    photos = tmp_path / "photos"
    with_sidecar, without = picture(photos / "a.jpg"), picture(photos / "b.jpg")
    (photos / "a.jpg.xmp").write_text('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
                                      'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')  # fmt: skip
    indexed(library, photos)
    ids = [pid(library, with_sidecar), pid(library, without)]
    set_rating(library.db, ids, 4)
    assert auto_mode(library) == "off" and sync_after_change(library, ids) == []
    set_auto_mode(library, "existing")
    assert [r.path for r in sync_after_change(library, ids)] == [str(with_sidecar)]
    assert exiv2_read(photos / "a.jpg.xmp")["Xmp.xmp.Rating"] == "4" and not (photos / "b.jpg.xmp").exists()
    set_auto_mode(library, "always")
    assert {r.action for r in sync_after_change(library, ids)} == {"unchanged", "created"}
    assert exiv2_read(photos / "b.jpg.xmp")["Xmp.xmp.Rating"] == "4"
    set_value(library.directory, "xmp", "write", "sometimes")  # a hand-edited config: never write unasked
    assert auto_mode(library) == "off"
    with pytest.raises(Exception, match="one of off, existing, always"):
        set_auto_mode(library, "sometimes")


def test_a_duplicate_merge_reaches_the_keepers_sidecar_and_an_undo_takes_it_back(index, tmp_path: Path) -> None:  # noqa: F811
    root = tmp_path / "photos"
    original = scene(7)
    save(
        original,
        root / "camera/IMG_1.jpg",
        Shot(taken_at="2019:08:03 09:10:11", gps=(45.5, 6.1), make="NIKON", model="D70"),
    )
    save(original, root / "export/IMG_1.png")  # no metadata: the keeper the user picks
    library = index(root)
    camera, export = photo(library, root / "camera/IMG_1.jpg"), photo(library, root / "export/IMG_1.png")
    from core.collections import set_caption, tag_photos

    tag_photos(library.db, [camera.id], ["alps"])
    set_rating(library.db, [camera.id], 5)
    set_caption(library.db, [camera.id], "Lac d'Annecy")
    set_auto_mode(library, "always")
    [group] = find_groups(library)

    resolution = resolve_group(library, group, keep_ids=[export.id])
    assert [s.action for s in resolution.sidecars] == ["created"]
    assert resolution.to_json()["sidecars"][0]["sidecar"] == str(root / "export/IMG_1.png.xmp")
    seen = exiv2_read(root / "export/IMG_1.png.xmp")
    assert (seen["Xmp.xmp.Rating"], seen["Xmp.dc.subject"]) == ("5", "alps")
    assert seen["Xmp.dc.description"] == 'lang="x-default" Lac d\'Annecy'
    assert seen["Xmp.exif.DateTimeOriginal"] == "2019-08-03T09:10:11"
    assert parse_coordinate(seen["Xmp.exif.GPSLatitude"]) == pytest.approx(45.5, abs=1e-6)

    undo = undo_resolution(library)
    assert [s.action for s in undo.sidecars] == ["written"]
    seen = exiv2_read(root / "export/IMG_1.png.xmp")
    assert "Xmp.xmp.Rating" not in seen and "Xmp.dc.subject" not in seen and "Xmp.dc.description" not in seen
