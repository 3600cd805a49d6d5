"""A photo's named faces in its sidecar as MWG face regions, and other tools' face regions
taken into the catalog as names (the regions themselves: :mod:`core.xmp.regions`).

Three-way, like the keywords (:mod:`core.xmp.merge`): ``seen`` is the names of the face
regions the sidecar held when Shoebox last read or wrote it.

- Reading: a named face region new since then (every one, in a sidecar never seen) is a
  person's decision in another tool and is taken as a manual assignment
  (:func:`core.people.regions.take_named_boxes`); a name the sidecar dropped since then is
  rejected from the photo's face. A face set by hand in Shoebox to another name stays so, unless
  the sidecar changed since Shoebox saw it or the read was asked for (``prefer_sidecar``).
  A sidecar without ``mwg-rs:Regions`` at all removes nothing.
- Writing (after a changed sidecar was read): every face of a named person is a ``Face``
  region (boxes normalised by the upright size, which ``AppliedToDimensions`` gives); a region
  already naming it stays as the other tool drew it. A ``Face`` region of a name the photo no
  longer shows is dropped: the read before the write took every region another tool added, so
  it is one a person took back in Shoebox. Regions Shoebox cannot take (other types, unnamed
  ones, names no person can have, areas it cannot read) are kept as they are.
"""

from __future__ import annotations

from core.catalog.db import Database
from core.catalog.records import Photo
from core.people.corrections import place_unassigned
from core.people.records import Box
from core.people.regions import can_hold, drop_names, named_faces, take_named_boxes
from core.xmp.fields import SidecarFields
from core.xmp.packet import XmpPacket
from core.xmp.regions import Area, FaceRegion, applied_dimensions, read_face_regions, update_face_regions
from core.xmp.results import SidecarResult


def take_faces(db: Database, photo: Photo, packet: XmpPacket, base: SidecarFields | None, *,
               prefer_sidecar: bool) -> bool:  # fmt: skip
    """Take the sidecar's face regions into the catalog (see the module docstring); returns
    whether the catalog changed."""
    regions = read_face_regions(packet)
    if regions is None:
        return False
    seen = base.faces if base is not None else None
    size = _upright_size(photo) or applied_dimensions(packet)
    boxes = [(r.name, box_of(r.area, size)) for r in regions if r.area is not None] if size else []
    skip = {name.casefold() for name in seen or []}
    overrule = prefer_sidecar or seen is not None
    taken = take_named_boxes(db, photo.id, boxes, skip=skip, overrule_manual=overrule)
    gone = skip - {region.name.casefold() for region in regions} if seen is not None else set()
    dropped = drop_names(db, photo.id, gone) if gone else []
    return bool(taken or dropped)


def place_faces_near_taken(db: Database, results: list[SidecarResult]) -> None:
    """After a batch of sidecars whose regions named faces: the faces in no person near those
    join them, in one clustering pass."""
    if any("faces" in result.catalog_changes for result in results):
        place_unassigned(db)


def write_faces(db: Database, photo: Photo, packet: XmpPacket) -> bool:
    """Make the packet's face regions say the catalog's named faces; returns whether it changed."""
    size = _upright_size(photo)
    if size is None:
        return False
    faces = named_faces(db, photo.id)
    regions = read_face_regions(packet) or []
    shown = {face.person.casefold() for face in faces}  # type: ignore[union-attr]
    present = {region.name.casefold() for region in regions}
    drop = {
        r.name.casefold() for r in regions if r.name.casefold() not in shown and r.area is not None and can_hold(r.name)
    }
    add: dict[str, FaceRegion] = {}  # one region a name: a person shown twice is the leftmost face
    for face in faces:
        key = face.person.casefold()  # type: ignore[union-attr]
        if key not in present and key not in add:
            add[key] = FaceRegion(face.person, area_of(face.box, size))  # type: ignore[arg-type]
    return update_face_regions(packet, list(add.values()), drop, size)


def area_of(box: Box, size: tuple[int, int]) -> Area:
    """A box in upright pixels as a normalised area (centre and size)."""
    width, height = size
    return Area((box.x + box.w / 2) / width, (box.y + box.h / 2) / height, box.w / width, box.h / height)


def box_of(area: Area, size: tuple[int, int]) -> Box:
    """A normalised area as a box in upright pixels, inside the image."""
    width, height = size
    left = max(0, min(width - 1, round((area.x - area.w / 2) * width)))
    top = max(0, min(height - 1, round((area.y - area.h / 2) * height)))
    return Box(
        left, top, max(1, min(width - left, round(area.w * width))), max(1, min(height - top, round(area.h * height)))
    )


def _upright_size(photo: Photo) -> tuple[int, int] | None:
    width, height = photo.upright_size
    return (width, height) if width and height else None
