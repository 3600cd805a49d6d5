"""Editing one XMP packet: Shoebox's properties change, everything another tool wrote stays.

libexiv2 (what darktable, digiKam and gThumb read XMP with) checks both directions.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from core.xmp.fields import (
    SidecarFields,
    format_coordinate,
    parse_coordinate,
    parse_xmp_date,
    read_fields,
    write_marks,
    write_place_and_date,
)
from core.xmp.packet import XmpError, XmpPacket
from tests.xmp.exiv2_tool import exiv2_create, exiv2_read

DARKTABLE = """<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:darktable="http://darktable.sf.net/"
   xmp:Rating="1"
   xmpMM:DerivedFrom="IMG_0042.CR2"
   darktable:xmp_version="5"
   darktable:history_end="2">
   <!-- edited on the laptop -->
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:num="0" darktable:operation="exposure" darktable:enabled="1"
      darktable:params="00000000000080b9cdcc4c3e0000c03f"/>
     <rdf:li darktable:num="1" darktable:operation="colorin" darktable:enabled="1"
      darktable:params="gz48eJxjZBgFowABWAbaAaNgGAAAJUAAMg=="/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""


def canonical(element: ET.Element) -> tuple:
    """An element by namespace URIs, attributes, text and children (prefixes and layout aside)."""
    return (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
            [canonical(child) for child in element])  # fmt: skip


def test_writing_marks_keeps_a_darktable_edit_history(tmp_path: Path) -> None:
    packet = XmpPacket.parse(DARKTABLE.encode())
    history = canonical(packet.root.find(".//{http://darktable.sf.net/}history"))  # type: ignore[arg-type]
    write_marks(packet, SidecarFields(rating=4, caption="Harbour at noon", tags=["boats", "Genova"], favourite=True,
                                      albums=["Liguria 2023"]))  # fmt: skip
    sidecar = tmp_path / "IMG_0042.CR2.xmp"
    sidecar.write_bytes(packet.to_bytes())

    again = XmpPacket.parse(sidecar.read_bytes())
    assert canonical(again.root.find(".//{http://darktable.sf.net/}history")) == history  # type: ignore[arg-type]
    assert "edited on the laptop" in sidecar.read_text()
    seen = exiv2_read(sidecar)
    assert seen["Xmp.xmp.Rating"] == "4"
    assert seen["Xmp.dc.subject"] == "boats, Genova"
    assert seen["Xmp.dc.description"] == 'lang="x-default" Harbour at noon'
    assert seen["Xmp.xmpMM.DerivedFrom"] == "IMG_0042.CR2"
    assert seen["Xmp.darktable.history_end"] == "2"
    assert seen["Xmp.shoebox.Favourite"] == "True" and seen["Xmp.shoebox.Albums"] == "Liguria 2023"
    assert "darktable:history" in sidecar.read_text()  # prefixes are the file's, not ns0/ns1


def test_what_exiv2_writes_reads_back(tmp_path: Path) -> None:
    sidecar = tmp_path / "IMG_7.JPG.xmp"
    exiv2_create(sidecar, xmp__Rating="3", dc__subject=["Lisbon", "tram"],
                 dc__description=['lang="x-default" Tram 28', 'lang="pt" Elétrico 28'],
                 exif__DateTimeOriginal="2019-07-14T10:30:00+01:00", exif__GPSLatitude="38,42.6N",
                 exif__GPSLongitude="9,8.25W")  # fmt: skip

    packet = XmpPacket.parse(sidecar.read_bytes())
    found = read_fields(packet)
    assert (found.rating, found.caption, found.tags) == (3, "Tram 28", ["Lisbon", "tram"])
    assert found.taken_at == "2019-07-14T10:30:00"
    assert found.gps is not None and found.gps[0] == pytest.approx(38.71) and found.gps[1] == pytest.approx(-9.1375)
    write_marks(packet, SidecarFields(rating=3, caption="Tram 28 in Alfama", tags=["Lisbon", "tram"]))
    sidecar.write_bytes(packet.to_bytes())
    assert exiv2_read(sidecar)["Xmp.dc.description"] == 'lang="x-default" Tram 28 in Alfama, lang="pt" Elétrico 28'


def test_an_equal_value_is_left_where_it_is() -> None:
    packet = XmpPacket.parse(DARKTABLE.encode())
    before = packet.to_bytes()
    write_marks(packet, SidecarFields(rating=1))
    assert packet.to_bytes() == before


def test_no_rating_keeps_a_rejected_photo_rejected() -> None:
    packet = XmpPacket.parse(DARKTABLE.replace('xmp:Rating="1"', 'xmp:Rating="-1"').encode())
    write_marks(packet, SidecarFields(rating=None))
    assert read_fields(packet).rating == -1
    packet = XmpPacket.parse(DARKTABLE.encode())
    write_marks(packet, SidecarFields(rating=None))
    assert read_fields(packet).rating is None


def test_a_date_or_place_another_tool_set_is_never_replaced() -> None:
    packet = XmpPacket.new()
    assert write_place_and_date(packet, "2008-10-22T16:28:39", (43.4674483, 11.8851266, -12.5)) == ["taken_at", "gps"]
    found = read_fields(packet)
    assert found.taken_at == "2008-10-22T16:28:39"
    assert found.gps == (pytest.approx(43.4674483), pytest.approx(11.8851266), pytest.approx(-12.5))
    assert write_place_and_date(packet, "2020-01-01T00:00:00", (0.0, 0.0, None)) == []


BOMB = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a%s;" % (str(i - 1).encode() if i > 1 else b"") * 10) for i in range(1, 9))
        + b']><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b"<rdf:Description>&a8;</rdf:Description></rdf:RDF></x:xmpmeta>")  # fmt: skip


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><broken>",
                                  b"<root><child/></root>", BOMB])  # fmt: skip
def test_what_is_not_an_xmp_packet_says_so(data: bytes) -> None:
    with pytest.raises(XmpError):
        XmpPacket.parse(data)


def test_coordinates_and_dates() -> None:
    assert parse_coordinate(format_coordinate(-33.8688, "NS")) == pytest.approx(-33.8688)
    assert parse_coordinate(format_coordinate(151.2093, "EW")) == pytest.approx(151.2093)
    assert parse_coordinate("43,28,2.81N") == pytest.approx(43.4674472, abs=1e-6)
    assert parse_coordinate("north") is None
    assert parse_xmp_date("2019-07-14") == "2019-07-14T00:00:00"
    assert parse_xmp_date("2019-13-40T10:00") is None and parse_xmp_date("yesterday") is None


def test_properties_split_over_several_descriptions_are_found_and_replaced_once() -> None:
    split = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="2"/>
      <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:subject><rdf:Bag><rdf:li>old</rdf:li></rdf:Bag></dc:subject></rdf:Description>
    </rdf:RDF></x:xmpmeta>"""
    packet = XmpPacket.parse(split)
    assert (read_fields(packet).rating, read_fields(packet).tags) == (2, ["old"])
    write_marks(packet, SidecarFields(rating=4, tags=["new"]))
    again = XmpPacket.parse(packet.to_bytes())
    assert (read_fields(again).rating, read_fields(again).tags) == (4, ["new"])
    assert again.to_bytes().count(b"subject>") == 2 and again.to_bytes().count(b"Rating") <= 2  # one of each


DIGIKAM = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:digiKam="http://www.digikam.org/ns/1.0/"
   xmlns:lr="http://ns.adobe.com/lightroom/1.0/">
  <dc:subject><rdf:Bag><rdf:li>Paris</rdf:li><rdf:li>Travel</rdf:li></rdf:Bag></dc:subject>
  <digiKam:TagsList><rdf:Seq><rdf:li>Places/France/Paris</rdf:li><rdf:li>Travel</rdf:li></rdf:Seq></digiKam:TagsList>
  <lr:hierarchicalSubject><rdf:Bag><rdf:li>Places|France|Paris</rdf:li><rdf:li>Travel</rdf:li></rdf:Bag></lr:hierarchicalSubject>
 </rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_digikam_and_lightroom_keyword_trees_follow_the_tags(tmp_path: Path) -> None:
    packet = XmpPacket.parse(DIGIKAM.encode())
    write_marks(packet, SidecarFields(tags=["Travel", "Louvre"]))  # Paris removed in Shoebox, Louvre added
    sidecar = tmp_path / "IMG_1.jpg.xmp"
    sidecar.write_bytes(packet.to_bytes())
    seen = exiv2_read(sidecar)
    assert seen["Xmp.dc.subject"] == "Travel, Louvre"
    assert seen["Xmp.digiKam.TagsList"] == "Travel, Louvre"  # still a Seq, Paris gone with its path
    assert seen["Xmp.lr.hierarchicalSubject"] == "Travel, Louvre"
    assert b"<rdf:Seq>" in sidecar.read_bytes()
    untouched = XmpPacket.parse(DIGIKAM.encode())
    write_marks(untouched, SidecarFields(tags=["Paris", "Travel"]))  # same tags: the trees keep their paths
    assert untouched.get_list("http://www.digikam.org/ns/1.0/", "TagsList") == ["Places/France/Paris", "Travel"]


def test_a_sidecar_with_only_a_keyword_tree_gives_its_leaves_as_tags() -> None:
    only_tree = DIGIKAM.replace(
        "<dc:subject><rdf:Bag><rdf:li>Paris</rdf:li><rdf:li>Travel</rdf:li></rdf:Bag></dc:subject>", ""
    )
    assert read_fields(XmpPacket.parse(only_tree.encode())).tags == ["Paris", "Travel"]
