"""Deciding what the catalog takes from a sidecar: a three-way merge of marks.

``base`` is what the sidecar said when Shoebox last read or wrote it. A field the sidecar
changed since then was edited in another tool, so the catalog takes the sidecar's value
(tags added *and* removed there are added and removed here); a field it did not change
stays as the catalog has it. A sidecar never seen before (``base`` is ``None``) is joined
in: tags and albums added, a rating or caption taken where the catalog has none (or, on
an explicit read, wherever the sidecar has one).

Absence is never taken as a removal: a tool that drops properties it does not know (the
``shoebox:`` ones) or a sidecar without ``dc:subject`` removes nothing. A rating goes back
to none only when the sidecar says 0 (unrated) or -1 (rejected).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.collections.annotations import Annotations
from core.xmp.fields import SidecarFields

_UNSET = object()


@dataclass(slots=True)
class CatalogChanges:
    """Edits to one photo's marks; ``rating``/``caption``/``favourite`` are ``_UNSET`` when untouched."""

    rating: object = _UNSET
    caption: object = _UNSET
    favourite: object = _UNSET
    tags_added: list[str] = field(default_factory=list)
    tags_removed: list[str] = field(default_factory=list)
    albums_added: list[str] = field(default_factory=list)

    def changed(self) -> list[str]:
        """Names of the fields that change, in a stable order."""
        names = [name for name in ("rating", "caption", "favourite") if getattr(self, name) is not _UNSET]
        if self.tags_added or self.tags_removed:
            names.append("tags")
        if self.albums_added:
            names.append("albums")
        return names

    def sets(self, name: str) -> bool:
        return getattr(self, name) is not _UNSET


def merge_marks(catalog: Annotations, sidecar: SidecarFields, base: SidecarFields | None, *,
                prefer_sidecar: bool) -> CatalogChanges:  # fmt: skip
    """What the catalog should take from ``sidecar`` (see the module docstring)."""
    changes = CatalogChanges()
    rating = _stars(sidecar.rating)
    if base is not None:
        if sidecar.rating is not None and sidecar.rating != base.rating and rating != catalog.rating:
            changes.rating = rating
        if sidecar.caption and sidecar.caption != base.caption and sidecar.caption != catalog.caption:
            changes.caption = sidecar.caption
        if sidecar.favourite and not base.favourite and not catalog.favourite:
            changes.favourite = True
    else:
        if rating is not None and rating != catalog.rating and (prefer_sidecar or catalog.rating is None):
            changes.rating = rating
        if sidecar.caption and sidecar.caption != catalog.caption and (prefer_sidecar or not catalog.caption):
            changes.caption = sidecar.caption
        if sidecar.favourite and not catalog.favourite:
            changes.favourite = True
    held = _keys(catalog.tags)
    known = _keys(base.tags) if base is not None and base.tags is not None else set()
    changes.tags_added = [t for t in sidecar.tags or [] if t.casefold() not in held and t.casefold() not in known]
    if base is not None and base.tags is not None and sidecar.tags is not None:
        gone = known - _keys(sidecar.tags)
        changes.tags_removed = [t for t in catalog.tags if t.casefold() in gone]
    albums_known = _keys(base.albums) if base is not None and base.albums is not None else set()
    in_albums = _keys(catalog.albums)
    changes.albums_added = [
        a for a in sidecar.albums or [] if a.casefold() not in in_albums and a.casefold() not in albums_known
    ]
    return changes


def _stars(rating: int | None) -> int | None:
    """XMP's rating as the catalog's: 1–5 stars, else none."""
    return rating if rating is not None and rating > 0 else None


def _keys(names: list[str] | None) -> set[str]:
    return {name.casefold() for name in names or []}
