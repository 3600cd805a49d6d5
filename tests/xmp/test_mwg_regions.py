"""Named faces as MWG face regions in sidecars, both ways; libexiv2 plays digiKam.

Photos are real JPEGs made here; their faces are stored as a scan stores them (a box in
upright original pixels and a vector), so the detector is not needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import exiv2
import numpy as np
import pytest
from PIL import Image

from core.catalog.photos import get_photo
from core.library import Library
from core.people import Box, assign_face, find_person, list_faces, reject_face, undo_last
from core.people.store import encode_vector
from core.xmp import read_sidecars, set_auto_mode, write_sidecars
from core.xmp.packet import XmpPacket
from core.xmp.regions import Area, FaceRegion, applied_dimensions, read_face_regions, update_face_regions
from tests.xmp.exiv2_tool import exiv2_create, exiv2_edit, exiv2_read
from tests.xmp.test_sidecar_sync import indexed, pid

REGIONS = "Xmp.mwg-rs.Regions"
LIST = f"{REGIONS}/mwg-rs:RegionList"


def photo(folder: Path, name: str, size: tuple[int, int] = (800, 600), orientation: int | None = None) -> Path:
    """A JPEG of ``size`` as stored (EXIF orientation tag when given)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    Image.new("RGB", size, (120, 100, 90)).save(path, "JPEG", exif=exif)
    return path


def scanned(library: Library, photo_id: int, *boxes: Box, vector: np.ndarray | None = None) -> list[int]:
    """Faces found by a scan: automatic, in no person, each with a vector (random unless given)."""
    rng = np.random.default_rng(photo_id)
    with library.db.transaction() as conn:
        return [
            int(conn.execute(
                "INSERT INTO faces (photo_id, model, x, y, w, h, score, vector) VALUES (?, 'test-model', ?, ?, ?, ?, 1.0, ?)",
                (photo_id, box.x, box.y, box.w, box.h,
                 encode_vector(vector if vector is not None else rng.normal(size=128) / 11)),
            ).lastrowid)
            for box in boxes
        ]  # fmt: skip


def exiv2_regions(
    path: Path, size: tuple[int, int] | None, regions: list[tuple[str | None, str, tuple[float, ...]]]
) -> None:
    """Write MWG regions into the sidecar at ``path`` (made when missing) as digiKam does through
    libexiv2: ``(name, type, (centre x, centre y, w, h))``, normalised; other properties stay."""
    image = (
        exiv2.ImageFactory.open(str(path))
        if path.exists()
        else exiv2.ImageFactory.create(exiv2.ImageType.xmp, str(path))
    )
    if path.stat().st_size:
        image.readMetadata()
    data = image.xmpData()
    for key in [d.key() for d in data if d.key().startswith(REGIONS)]:  # keys first: erasing moves the data
        data.erase(data.findKey(exiv2.XmpKey(key)))
    _node(data, REGIONS, "struct")
    if size is not None:
        _node(data, f"{REGIONS}/mwg-rs:AppliedToDimensions", "struct")
        for key, value in (("w", str(size[0])), ("h", str(size[1])), ("unit", "pixel")):
            data[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:{key}"] = value
    _node(data, LIST, "bag")
    for index, (name, kind, (x, y, w, h)) in enumerate(regions, 1):
        item = f"{LIST}[{index}]"
        _node(data, item, "struct")
        if name is not None:
            data[f"{item}/mwg-rs:Name"] = name
        data[f"{item}/mwg-rs:Type"] = kind
        _node(data, f"{item}/mwg-rs:Area", "struct")
        for key, value in (("x", x), ("y", y), ("w", w), ("h", h)):
            data[f"{item}/mwg-rs:Area/stArea:{key}"] = f"{value:.5f}"
        data[f"{item}/mwg-rs:Area/stArea:unit"] = "normalized"
    image.setXmpData(data)
    image.writeMetadata()


def _node(data: exiv2.XmpData, key: str, kind: str) -> None:
    value = exiv2.XmpTextValue()
    if kind == "struct":
        value.setXmpStruct()
    else:
        value.setXmpArrayType(exiv2.XmpValue.XmpArrayType.xaBag)
    data.add(exiv2.XmpKey(key), value)


def regions_seen(sidecar: Path) -> list[dict[str, str]]:
    """The regions libexiv2 reads from a sidecar: each item's fields by their short name."""
    seen = exiv2_read(sidecar)
    found: dict[int, dict[str, str]] = {}
    for key, value in seen.items():
        if key.startswith(f"{LIST}[") and "]/" in key:
            index, field = key[len(LIST) + 1 :].split("]/", 1)
            found.setdefault(int(index), {})[field.split(":")[-1]] = value
    return [found[i] for i in sorted(found)]


def faces_by_name(library: Library, photo_id: int) -> dict[str | None, list]:
    out: dict[str | None, list] = {}
    for face in list_faces(library.db, photo_id=photo_id):
        out.setdefault(face.person, []).append(face)
    return out


def vector_of(library: Library, face_id: int) -> bytes | None:
    return library.db.scalar("SELECT vector FROM faces WHERE id = ?", (face_id,))


@pytest.fixture
def family(library: Library, tmp_path: Path) -> tuple[Library, Path, int]:
    """A catalogued 800×600 photo with no faces yet."""
    folder = tmp_path / "photos"
    path = photo(folder, "IMG_0001.jpg")
    indexed(library, folder)
    return library, path, pid(library, path)


def test_named_faces_are_written_as_regions_libexiv2_reads(family) -> None:
    library, path, photo_id = family
    alice, bob, stranger = scanned(
        library, photo_id, Box(100, 150, 80, 100), Box(500, 200, 120, 120), Box(700, 10, 50, 50)
    )
    assign_face(library.db, alice, "Alice")
    assign_face(library.db, bob, "Bob")

    assert [r.action for r in write_sidecars(library, [photo_id])] == ["created"]
    sidecar = Path(f"{path}.xmp")
    seen = exiv2_read(sidecar)
    assert seen[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:w"] == "800"
    assert seen[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:h"] == "600"
    assert seen[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:unit"] == "pixel"
    regions = {r["Name"]: r for r in regions_seen(sidecar)}
    assert set(regions) == {"Alice", "Bob"}  # the face in no person is not written
    assert all(r["Type"] == "Face" and r["unit"] == "normalized" for r in regions.values())
    numbers = {name: [float(r[k]) for k in ("x", "y", "w", "h")] for name, r in regions.items()}
    assert numbers["Alice"] == pytest.approx([140 / 800, 200 / 600, 80 / 800, 100 / 600], abs=1e-6)
    assert numbers["Bob"] == pytest.approx([560 / 800, 260 / 600, 120 / 800, 120 / 600], abs=1e-6)
    assert [r.action for r in write_sidecars(library, [photo_id])] == ["unchanged"]
    assert len(list_faces(library.db, photo_id=photo_id)) == 3 and stranger


def test_regions_digikam_wrote_are_read_as_manual_faces_and_reading_again_adds_none(family) -> None:
    library, path, photo_id = family
    left, right = scanned(library, photo_id, Box(100, 150, 80, 100), Box(500, 200, 120, 120))
    sidecar = Path(f"{path}.xmp")
    exiv2_create(sidecar, xmp__Rating="3")
    # digiKam's boxes are a little larger than the detector's (IoU about 0.6); Carol was never detected.
    exiv2_regions(sidecar, (800, 600), [
        ("Alice", "Face", (140 / 800, 195 / 600, 100 / 800, 120 / 600)),
        ("Bob", "Face", (565 / 800, 255 / 600, 140 / 800, 140 / 600)),
        ("Carol", "Face", (0.4, 0.7, 0.05, 0.08)),
    ])  # fmt: skip

    [result] = read_sidecars(library, [photo_id])
    assert result.action == "read" and "faces" in result.catalog_changes
    faces = faces_by_name(library, photo_id)
    assert [f.id for f in faces["Alice"]] == [left] and [f.id for f in faces["Bob"]] == [right]
    assert all(f.source == "manual" for name in ("Alice", "Bob", "Carol") for f in faces[name])
    [carol] = faces["Carol"]
    assert carol.box == Box(300, 396, 40, 48) and vector_of(library, carol.id) is None  # kept until a scan sees it
    assert vector_of(library, left) is not None

    assert [r.action for r in read_sidecars(library, [photo_id])] == ["unchanged"]
    exiv2_edit(sidecar, xmp__Rating="5")  # changed in digiKam again: read with a base this time
    assert read_sidecars(library, [photo_id])[0].catalog_changes == ["rating"]
    assert write_sidecars(library, [photo_id])[0].action == "unchanged"
    assert sorted((f.person, f.id) for f in list_faces(library.db, photo_id=photo_id)) == sorted(
        [("Alice", left), ("Bob", right), ("Carol", carol.id)]
    )
    assert undo_last(library.db) is not None  # the last decision taken: Carol's face, added from the region
    assert len(list_faces(library.db, photo_id=photo_id)) == 2


def test_indexing_reads_the_regions_of_a_new_photos_sidecar(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "from_digikam"
    path = photo(folder, "DSC_0042.jpg", (1200, 900))
    exiv2_create(Path(f"{path}.xmp"), dc__subject=["holiday"])
    exiv2_regions(Path(f"{path}.xmp"), (1200, 900), [("Dana", "Face", (0.5, 0.5, 0.2, 0.3))])
    indexed(library, folder)
    [dana] = list_faces(library.db, photo_id=pid(library, path))
    assert (dana.person, dana.source, dana.box) == ("Dana", "manual", Box(480, 315, 240, 270))


def test_round_trip_keeps_other_tools_regions_and_drops_a_name_taken_back(family) -> None:
    library, path, photo_id = family
    first, second = scanned(library, photo_id, Box(100, 150, 80, 100), Box(500, 200, 120, 120))
    sidecar = Path(f"{path}.xmp")
    exiv2_regions(sidecar, (800, 600), [
        ("Rex", "Pet", (0.2, 0.8, 0.2, 0.2)),
        ("Alice", "Face", (140 / 800, 200 / 600, 80 / 800, 100 / 600)),
        (None, "Face", (0.9, 0.1, 0.05, 0.05)),  # a face digiKam found and nobody named
        ("#42", "Face", (0.9, 0.9, 0.05, 0.05)),  # a name no person can have here
    ])  # fmt: skip
    read_sidecars(library, [photo_id])
    assert faces_by_name(library, photo_id)["Alice"][0].id == first
    assign_face(library.db, second, "Bob")

    assert write_sidecars(library, [photo_id])[0].sidecar_changes == ["faces"]
    regions = regions_seen(sidecar)
    assert [(r.get("Name"), r["Type"]) for r in regions] == [("Rex", "Pet"), ("Alice", "Face"), (None, "Face"),
                                                             ("#42", "Face"), ("Bob", "Face")]  # fmt: skip
    assert (regions[0]["x"], regions[0]["y"]) == ("0.20000", "0.80000")  # written as the other tool wrote them

    reject_face(library.db, first)  # not Alice after all
    write_sidecars(library, [photo_id])
    assert [r.get("Name") for r in regions_seen(sidecar)] == ["Rex", None, "#42", "Bob"]
    read_sidecars(library, [photo_id])
    assert find_person(library.db, "Alice") is not None and "Alice" not in faces_by_name(library, photo_id)


def test_a_rename_or_removal_in_the_other_tool_reaches_the_catalog(family) -> None:
    library, path, photo_id = family
    first, second = scanned(library, photo_id, Box(100, 150, 80, 100), Box(500, 200, 120, 120))
    assign_face(library.db, first, "Bob")
    assign_face(library.db, second, "Eve")
    write_sidecars(library, [photo_id])
    sidecar = Path(f"{path}.xmp")
    areas = {r["Name"]: tuple(float(r[k]) for k in ("x", "y", "w", "h")) for r in regions_seen(sidecar)}
    exiv2_regions(sidecar, (800, 600), [("Robert", "Face", areas["Bob"])])  # Bob renamed, Eve removed

    read_sidecars(library, [photo_id])
    faces = {f.id: f for f in list_faces(library.db, photo_id=photo_id)}
    assert (faces[first].person, faces[first].source) == ("Robert", "manual")  # the newer decision wins
    assert faces[second].person is None


def test_a_never_seen_sidecar_does_not_overrule_a_face_named_by_hand_unless_read_explicitly(family) -> None:
    library, path, photo_id = family
    [face] = scanned(library, photo_id, Box(100, 150, 80, 100))
    assign_face(library.db, face, "Bob")
    sidecar = Path(f"{path}.xmp")
    exiv2_regions(sidecar, (800, 600), [("Robert", "Face", (140 / 800, 200 / 600, 80 / 800, 100 / 600))])
    write_sidecars(library, [photo_id])  # the catalog's decision is written over the unknown one
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Bob"]
    assert [f.person for f in list_faces(library.db, photo_id=photo_id)] == ["Bob"]
    library.db.execute("DELETE FROM xmp_sync")
    exiv2_regions(sidecar, (800, 600), [("Robert", "Face", (140 / 800, 200 / 600, 80 / 800, 100 / 600))])
    read_sidecars(library, [photo_id])  # asked for: the sidecar's name is taken
    assert [f.person for f in list_faces(library.db, photo_id=photo_id)] == ["Robert"]


def test_a_photo_turned_by_exif_orientation_gets_regions_in_the_upright_frame(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "phone"
    path = photo(folder, "PXL_0001.jpg", (800, 600), orientation=6)  # stored landscape, shown portrait
    indexed(library, folder)
    photo_id = pid(library, path)
    assert get_photo(library.db, photo_id).upright_size == (600, 800)
    [face] = scanned(library, photo_id, Box(50, 500, 100, 120))  # upright pixels, as the scan stores them
    assign_face(library.db, face, "Frank")
    write_sidecars(library, [photo_id])
    sidecar = Path(f"{path}.xmp")
    seen = exiv2_read(sidecar)
    assert (
        seen[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:w"],
        seen[f"{REGIONS}/mwg-rs:AppliedToDimensions/stDim:h"],
    ) == ("600", "800")
    [region] = regions_seen(sidecar)
    assert [float(region[k]) for k in ("x", "y", "w", "h")] == pytest.approx(
        [100 / 600, 560 / 800, 100 / 600, 120 / 800], abs=1e-6
    )

    exiv2_regions(sidecar, (600, 800), [("Frank", "Face", (100 / 600, 560 / 800, 100 / 600, 120 / 800)),
                                        ("Gina", "Face", (0.75, 0.25, 0.2, 0.15))])  # fmt: skip
    read_sidecars(library, [photo_id])
    gina = faces_by_name(library, photo_id)["Gina"][0]
    assert gina.box == Box(390, 140, 120, 120)  # in the upright frame: inside 600 × 800
    assert len(faces_by_name(library, photo_id)["Frank"]) == 1


def test_naming_a_face_updates_an_existing_sidecar_in_auto_mode(cli, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    path = photo(folder, "IMG_0002.jpg")
    sidecar = Path(f"{path}.xmp")
    exiv2_create(sidecar, xmp__Rating="2")
    with Library.open(tmp_path / "library") as library:
        indexed(library, folder)
        face, other = scanned(library, pid(library, path), Box(100, 150, 80, 100), Box(500, 200, 120, 120))
        set_auto_mode(library, "existing")
    assert cli("people", "assign", str(face), "Hana").code == 0
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Hana"]
    assert cli("people", "assign", str(other), "Ivo").code == 0
    assert cli("people", "reject", str(face)).code == 0
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Ivo"]
    person = cli("people", "ls", "--all", "--json").json()
    ivo = next(p["id"] for p in person if p["name"] == "Ivo")
    assert cli("people", "name", str(ivo), "Ivan").code == 0
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Ivan"]
    assert cli("people", "undo").code == 0
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Ivo"]
    written = sidecar.read_bytes()
    assert cli("people", "hide", str(ivo)).code == 0  # names unchanged: nothing to write
    assert cli("people", "recluster").code == 0  # manual faces stay where they are
    assert sidecar.read_bytes() == written
    assert exiv2_read(sidecar)["Xmp.xmp.Rating"] == "2" and os.path.getsize(path) > 0


LIGHTROOM_STYLE = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#" xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#">
   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions rdf:parseType="Resource">
     <stDim:w>4000</stDim:w><stDim:h>3000</stDim:h><stDim:unit>pixel</stDim:unit>
    </mwg-rs:AppliedToDimensions>
    <mwg-rs:RegionList>
     <rdf:Seq>
      <rdf:li rdf:parseType="Resource">
       <mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Ann  Lee</mwg-rs:Name>
       <mwg-rs:Area rdf:parseType="Resource">
        <stArea:x>0.5</stArea:x><stArea:y>0.5</stArea:y><stArea:w>0.1</stArea:w><stArea:h>0.2</stArea:h>
        <stArea:unit>normalized</stArea:unit>
       </mwg-rs:Area>
      </rdf:li>
      <!-- Lightroom keeps its comments; so does Shoebox -->
      <rdf:li>
       <rdf:Description mwg-rs:Type="Face">
        <mwg-rs:Name>Ben</mwg-rs:Name>
        <mwg-rs:Area stArea:x="0.2" stArea:y="0.3" stArea:w="0.1" stArea:h="0.1" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>
      <rdf:li rdf:parseType="Resource"><mwg-rs:Type>Focus</mwg-rs:Type>
       <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.01" stArea:h="0.01" stArea:unit="normalized"/>
      </rdf:li>
      <rdf:li rdf:parseType="Resource"><mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Name>Pixel Pete</mwg-rs:Name>
       <mwg-rs:Area stArea:x="10" stArea:y="10" stArea:w="5" stArea:h="5" stArea:unit="pixel"/>
      </rdf:li>
     </rdf:Seq>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


def test_every_rdf_spelling_of_a_region_is_read_and_an_edit_keeps_the_rest(tmp_path: Path) -> None:
    packet = XmpPacket.parse(LIGHTROOM_STYLE)
    assert read_face_regions(packet) == [
        FaceRegion("Ann Lee", Area(0.5, 0.5, 0.1, 0.2)),
        FaceRegion("Ben", Area(0.2, 0.3, 0.1, 0.1)),
        FaceRegion("Pixel Pete", None),  # pixel units are not MWG's: kept, never taken
    ]
    assert applied_dimensions(packet) == (4000, 3000)
    assert update_face_regions(packet, [FaceRegion("Cleo", Area(0.8, 0.2, 0.1, 0.1))], {"ben"}, (4000, 3000))
    sidecar = tmp_path / "lr.xmp"
    sidecar.write_bytes(packet.to_bytes())
    assert b"Lightroom keeps its comments" in sidecar.read_bytes()
    assert [(r.get("Name"), r["Type"]) for r in regions_seen(sidecar)] == [
        ("Ann  Lee", "Face"), (None, "Focus"), ("Pixel Pete", "Face"), ("Cleo", "Face")]  # as written  # fmt: skip
    assert not update_face_regions(packet, [], {"nobody"}, (4000, 3000))


def test_a_sync_record_from_before_face_regions_has_the_regions_read_not_dropped(family) -> None:
    library, path, photo_id = family
    sidecar = Path(f"{path}.xmp")
    exiv2_regions(sidecar, (800, 600), [("Alice", "Face", (0.5, 0.5, 0.1, 0.1))])
    read_sidecars(library, [photo_id])
    library.db.execute("DELETE FROM faces")
    library.db.execute("UPDATE xmp_sync SET marks = json_remove(marks, '$.faces')")  # as an older Shoebox left it
    write_sidecars(library, [photo_id])
    assert [f.person for f in list_faces(library.db, photo_id=photo_id)] == ["Alice"]
    assert [r["Name"] for r in regions_seen(sidecar)] == ["Alice"]


def test_a_face_named_from_a_region_brings_the_faces_near_it_along(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    tagged, other = photo(folder, "IMG_0010.jpg"), photo(folder, "IMG_0011.jpg")
    indexed(library, folder)
    looks = np.random.default_rng(3).normal(size=128) / 11  # a face vector's scale: about unit length
    [named] = scanned(library, pid(library, tagged), Box(100, 150, 80, 100), vector=looks)
    [same_person] = scanned(library, pid(library, other), Box(300, 100, 90, 110), vector=looks + 0.005)
    exiv2_regions(Path(f"{tagged}.xmp"), (800, 600), [("Alice", "Face", (140 / 800, 200 / 600, 80 / 800, 100 / 600))])

    read_sidecars(library, [pid(library, tagged), pid(library, other)])
    faces = {f.id: f for f in list_faces(library.db)}
    assert (faces[named].person, faces[named].source) == ("Alice", "manual")
    assert (faces[same_person].person, faces[same_person].source) == ("Alice", "auto")  # placed once, after the batch
