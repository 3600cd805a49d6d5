"""A trashed photo's own XMP sidecar goes with it, comes back with it, and is purged with it."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from core.trash import list_trash, purge, restore, trash_photos
from tests.duplicates.conftest import photo
from tests.duplicates.pictures import save, scene

SIDECAR = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="{}"/></rdf:RDF></x:xmpmeta>')  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "photos"
    for i in range(2):
        save(scene(60 + i, 320, 240), root / f"IMG_{i}.jpg")
        (root / f"IMG_{i}.jpg.xmp").write_text(SIDECAR.format(i + 1))
    return root


@pytest.mark.parametrize("copy", [False, True], ids=["rename", "copy"])
def test_the_sidecar_goes_to_the_trash_and_comes_back(index, folder: Path, copy: bool) -> None:
    library = index(folder)
    sidecar = folder / "IMG_0.jpg.xmp"
    text = sidecar.read_text()
    [entry] = trash_photos(library, [photo(library, folder / "IMG_0.jpg").id], copy=copy).trashed
    assert not sidecar.exists()
    assert (library.trash_dir / entry.trash_name).with_name("IMG_0.jpg.xmp").read_text() == text
    assert (folder / "IMG_1.jpg.xmp").exists()  # the other photo's is untouched
    restore(library, entry.id, copy=copy)
    assert sidecar.read_text() == text and not any(library.trash_dir.iterdir())


def test_a_photo_restored_under_a_free_name_takes_its_sidecar_along(index, folder: Path) -> None:
    library = index(folder)
    [entry] = trash_photos(library, [photo(library, folder / "IMG_0.jpg").id]).trashed
    shutil.copyfile(folder / "IMG_1.jpg", folder / "IMG_0.jpg")  # something new took the name meanwhile
    (folder / "IMG_0.jpg.xmp").write_text(SIDECAR.format(5))
    restored = restore(library, entry.id)
    assert restored.renamed
    back = Path(restored.path + ".xmp")
    assert back.read_text() == SIDECAR.format(1) and (folder / "IMG_0.jpg.xmp").read_text() == SIDECAR.format(5)


def test_a_purge_deletes_the_sidecar_with_the_photo(index, folder: Path) -> None:
    library = index(folder)
    trash_photos(library, [photo(library, folder / "IMG_1.jpg").id])
    assert purge(library, timedelta(0)).purged == 1
    assert list_trash(library) == [] and not any(library.trash_dir.iterdir())
    assert not (folder / "IMG_1.jpg.xmp").exists() and (folder / "IMG_0.jpg.xmp").exists()


def test_a_raw_files_lightroom_sidecar_stays_when_the_jpeg_is_trashed(index, tmp_path: Path) -> None:
    root = tmp_path / "photos"
    save(scene(70, 320, 240), root / "IMG_7.JPG")
    (root / "IMG_7.CR2").write_bytes(b"raw")
    (root / "IMG_7.xmp").write_text(SIDECAR.format(3))
    library = index(root)
    trash_photos(library, [photo(library, root / "IMG_7.JPG").id])
    assert (root / "IMG_7.xmp").read_text() == SIDECAR.format(3)
