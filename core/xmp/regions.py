"""MWG face regions (``mwg-rs:Regions``) in an XMP packet: read them, add and drop them by name.

The Metadata Working Group's region schema is where digiKam, Lightroom, Picasa and exiftool
keep who is where in a photo::

    mwg-rs:Regions
      mwg-rs:AppliedToDimensions   stDim:w, stDim:h, stDim:unit = pixel (the upright image)
      mwg-rs:RegionList            an rdf:Bag of rdf:li, each a struct of
        mwg-rs:Type                Face (other tools also write Pet, Focus, BarCode)
        mwg-rs:Name                the person's name
        mwg-rs:Area                stArea:x, stArea:y (the centre), stArea:w, stArea:h, all 0–1,
                                   stArea:unit = normalized

RDF allows a struct three spellings (attributes on the property element, child elements under
``rdf:parseType="Resource"``, or an inner ``rdf:Description``); all three are read. An edit
touches only the ``rdf:li`` items it is about: regions of other types, unnamed ones and every
field Shoebox does not know (digiKam's, Lightroom's rotation) stay as they were written.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from core.xmp.packet import KNOWN_PREFIXES, RDF, XmpPacket

MWG_RS = KNOWN_PREFIXES["mwg-rs"]
ST_DIM = KNOWN_PREFIXES["stDim"]
ST_AREA = KNOWN_PREFIXES["stArea"]
FACE = "Face"


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


@dataclass(frozen=True, slots=True)
class Area:
    """A region's box as fractions of the image: ``x``, ``y`` its centre, ``w``, ``h`` its size."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class FaceRegion:
    """A named face region; ``area`` is ``None`` when the sidecar gives none Shoebox can read."""

    name: str
    area: Area | None


def read_face_regions(packet: XmpPacket) -> list[FaceRegion] | None:
    """The named ``Face`` regions, in the sidecar's order; ``None`` when it has no ``mwg-rs:Regions``."""
    if packet.get_element(MWG_RS, "Regions") is None:
        return None
    found = []
    for item in _items(packet):
        region = _face_region(_fields(item))
        if region is not None:
            found.append(region)
    return found


def face_names(regions: list[FaceRegion] | None) -> list[str] | None:
    """Each name once (any case), sorted; ``None`` for no regions property at all."""
    if regions is None:
        return None
    unique = {region.name.casefold(): region.name for region in regions}
    return sorted(unique.values(), key=str.casefold)


def applied_dimensions(packet: XmpPacket) -> tuple[int, int] | None:
    """``mwg-rs:AppliedToDimensions`` in pixels, when the sidecar gives them."""
    regions = packet.get_element(MWG_RS, "Regions")
    dims = _fields(regions).get(_q(MWG_RS, "AppliedToDimensions")) if regions is not None else None
    if not isinstance(dims, ET.Element):
        return None
    fields = _fields(dims)
    width, height = _number(fields.get(_q(ST_DIM, "w"))), _number(fields.get(_q(ST_DIM, "h")))
    if width is None or height is None or width < 1 or height < 1:
        return None
    return round(width), round(height)


def update_face_regions(packet: XmpPacket, add: list[FaceRegion], drop: set[str], size: tuple[int, int]) -> bool:
    """Drop the ``Face`` regions named in ``drop`` (casefolded names), add ``add``'s; returns
    whether the packet changed. ``size`` is the upright image, written as the applied
    dimensions when the sidecar has none; a region list left empty goes with its ``Regions``."""
    dropped = False
    for item in _items(packet):
        region = _face_region(_fields(item))
        if region is not None and region.name.casefold() in drop:
            _parent_of(packet, item).remove(item)
            dropped = True
    if add:
        bag = _region_bag(packet, size)
        for region in add:
            _append(bag, region)
    if dropped and not _items(packet):
        packet.remove(MWG_RS, "Regions")
    return dropped or bool(add)


# --- reading RDF structs -------------------------------------------------------------------


def _fields(element: ET.Element) -> dict[str, str | ET.Element]:
    """The fields of an RDF struct however it is spelled: a text field as its text, a struct or
    an array as its element."""
    fields: dict[str, str | ET.Element] = {k: v for k, v in element.attrib.items() if not k.startswith(f"{{{RDF}}}")}
    inner = element.find(_q(RDF, "Description"))
    if inner is not None:
        fields.update({k: v for k, v in inner.attrib.items() if not k.startswith(f"{{{RDF}}}")})
    for child in inner if inner is not None else element:
        if isinstance(child.tag, str):  # comments are kept in the tree with a non-string tag
            fields.setdefault(child.tag, child if len(child) or child.attrib else (child.text or "").strip())
    return fields


def _face_region(fields: dict[str, str | ET.Element]) -> FaceRegion | None:
    kind, name = fields.get(_q(MWG_RS, "Type")), fields.get(_q(MWG_RS, "Name"))
    if not isinstance(kind, str) or kind.strip().casefold() != FACE.casefold():
        return None
    if not isinstance(name, str) or not " ".join(name.split()):
        return None
    area = fields.get(_q(MWG_RS, "Area"))
    return FaceRegion(" ".join(name.split()), _area(area) if isinstance(area, ET.Element) else None)


def _area(element: ET.Element) -> Area | None:
    fields = _fields(element)
    unit = fields.get(_q(ST_AREA, "unit"), "normalized")
    values = [_number(fields.get(_q(ST_AREA, key))) for key in ("x", "y", "w", "h")]
    if unit != "normalized" or any(v is None for v in values):
        return None
    x, y, w, h = values  # type: ignore[misc]
    if not (0 <= x <= 1 and 0 <= y <= 1 and 0 < w <= 1 and 0 < h <= 1):
        return None
    return Area(x, y, w, h)


def _number(value: str | ET.Element | None) -> float | None:
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _region_list(packet: XmpPacket) -> ET.Element | None:
    regions = packet.get_element(MWG_RS, "Regions")
    found = _fields(regions).get(_q(MWG_RS, "RegionList")) if regions is not None else None
    return found if isinstance(found, ET.Element) else None


def _items(packet: XmpPacket) -> list[ET.Element]:
    """The ``rdf:li`` items of the region list (of its ``rdf:Bag``, or a ``rdf:Seq`` some tools write)."""
    found = _region_list(packet)
    return found.findall(f"./*/{_q(RDF, 'li')}") if found is not None else []


def _parent_of(packet: XmpPacket, item: ET.Element) -> ET.Element:
    holder = _region_list(packet)
    return next(array for array in holder if item in list(array))  # type: ignore[union-attr]


# --- writing ---------------------------------------------------------------------------------


def _region_bag(packet: XmpPacket, size: tuple[int, int]) -> ET.Element:
    """The array new regions go in, made (with the applied dimensions) when missing."""
    regions = packet.get_element(MWG_RS, "Regions")
    if regions is None:
        regions = packet.add_element(MWG_RS, "Regions")
        regions.set(_q(RDF, "parseType"), "Resource")
    container = regions.find(_q(RDF, "Description"))
    container = container if container is not None else regions
    if _q(MWG_RS, "AppliedToDimensions") not in _fields(regions):
        width, height = size
        ET.SubElement(container, _q(MWG_RS, "AppliedToDimensions"),
                      {_q(ST_DIM, "w"): str(width), _q(ST_DIM, "h"): str(height), _q(ST_DIM, "unit"): "pixel"})  # fmt: skip
    holder = _region_list(packet)
    if holder is None:
        holder = ET.SubElement(container, _q(MWG_RS, "RegionList"))
    array = next((child for child in holder if child.tag in (_q(RDF, "Bag"), _q(RDF, "Seq"))), None)
    return array if array is not None else ET.SubElement(holder, _q(RDF, "Bag"))


def _append(bag: ET.Element, region: FaceRegion) -> None:
    """One region, spelled as libexiv2 spells it (an inner ``rdf:Description`` with attributes)."""
    item = ET.SubElement(bag, _q(RDF, "li"))
    description = ET.SubElement(
        item, _q(RDF, "Description"), {_q(MWG_RS, "Name"): region.name, _q(MWG_RS, "Type"): FACE}
    )
    if region.area is not None:
        area = region.area
        ET.SubElement(description, _q(MWG_RS, "Area"), {
            _q(ST_AREA, "x"): _decimal(area.x), _q(ST_AREA, "y"): _decimal(area.y),
            _q(ST_AREA, "w"): _decimal(area.w), _q(ST_AREA, "h"): _decimal(area.h), _q(ST_AREA, "unit"): "normalized",
        })  # fmt: skip


def _decimal(value: float) -> str:
    """A fraction with six decimals at most (a pixel of a 100 MP photo), trailing zeros dropped."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"
