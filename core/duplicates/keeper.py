"""Which copy to keep: a configurable chain of rules, the first that tells copies apart wins.

The chain is config ``[duplicates] keep``, a list of rule names tried in order:

``reference``         a copy in a root marked reference (never-delete) wins
``pixels``            most pixels
``original``          a camera format (RAW, HEIC, JPEG, TIFF) over a converted one (PNG, WebP…)
``format:A>B>C``      formats in this order, e.g. ``format:heic>jpeg`` (others after)
``metadata``          most of: a camera date, GPS, a camera make/model
``size`` / ``smaller``  larger / smaller file
``older`` / ``newer``   older / newer file modification time
``folder:PATH``       a copy under PATH wins (a folder priority)

Default: ``reference, pixels, original, metadata, size, older``; ties keep the lowest id.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.catalog.records import Photo
from core.media.formats import RAW_EXTENSIONS

DEFAULT_RULES: tuple[str, ...] = ("reference", "pixels", "original", "metadata", "size", "older")
CAMERA_FORMATS = frozenset({"jpeg", "heic", "heif", "tiff", "dng", *RAW_EXTENSIONS})
FORMAT_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "tif": "tiff", "heif": "heic", "hif": "heic"}
EXIF_DATE_SOURCES = ("exif", "exif-create")


class KeeperRuleError(ValueError):
    """A rule name in ``[duplicates] keep`` that Shoebox does not know."""


@dataclass(frozen=True, slots=True)
class KeeperContext:
    """What rules need beyond the photo itself."""

    reference_root_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class KeeperRule:
    """One rule: a score (higher is better) and the reason shown when it decides."""

    name: str
    reason: str
    score: Callable[[Photo, KeeperContext], float]


def parse_rules(names: Sequence[str] | None) -> list[KeeperRule]:
    """Rules from their names (``None`` or empty: the default chain)."""
    return [_rule(name) for name in (names or DEFAULT_RULES)]


def suggest_keeper(
    photos: Sequence[Photo], rules: Sequence[KeeperRule], context: KeeperContext = KeeperContext()
) -> tuple[Photo, str]:
    """The photo to keep and the reason (the first rule that set it apart)."""
    if not photos:
        raise ValueError("no photos to choose from")
    contenders = sorted(photos, key=lambda p: p.id)
    for rule in rules:
        scores = [rule.score(p, context) for p in contenders]
        best = max(scores)
        if min(scores) != best:
            contenders = [p for p, s in zip(contenders, scores, strict=True) if s == best]
            if len(contenders) == 1:
                return contenders[0], rule.reason
    return contenders[0], "all alike: the first catalogued"


def metadata_richness(photo: Photo) -> int:
    return (
        int(photo.taken_at is not None and photo.taken_at_source in EXIF_DATE_SOURCES)
        + int(photo.gps_lat is not None and photo.gps_lon is not None)
        + int(bool(photo.make or photo.model))
    )


def normalise_format(name: str) -> str:
    name = name.strip().lower().lstrip(".")
    return FORMAT_ALIASES.get(name, name)


def _rule(name: str) -> KeeperRule:
    key, _, argument = name.strip().partition(":")
    key = key.lower()
    if key in _SIMPLE:
        return _SIMPLE[key]
    if key == "format" and argument:
        order = [normalise_format(f) for f in argument.split(">") if f.strip()]
        rank = {fmt: len(order) - i for i, fmt in enumerate(order)}
        return KeeperRule(name, f"preferred format ({' > '.join(order)})", lambda p, c: rank.get(normalise_format(p.format), 0))
    if key == "folder" and argument:
        prefix = os.path.normpath(os.path.expanduser(argument))
        return KeeperRule(name, f"in {prefix}", lambda p, c: float(_under(p.path, prefix)))
    known = ", ".join([*_SIMPLE, "format:A>B", "folder:PATH"])
    raise KeeperRuleError(f"unknown keeper rule {name!r} in [duplicates] keep (known: {known})")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip(os.sep) + os.sep)


def _pixels(photo: Photo) -> float:
    return float((photo.width or 0) * (photo.height or 0))


_SIMPLE: dict[str, KeeperRule] = {
    rule.name: rule
    for rule in (
        KeeperRule("reference", "in a reference folder", lambda p, c: float(p.root_id in c.reference_root_ids)),
        KeeperRule("pixels", "most pixels", lambda p, c: _pixels(p)),
        KeeperRule("original", "original format", lambda p, c: float(normalise_format(p.format) in CAMERA_FORMATS)),
        KeeperRule("metadata", "richest metadata", lambda p, c: float(metadata_richness(p))),
        KeeperRule("size", "largest file", lambda p, c: float(p.size)),
        KeeperRule("smaller", "smallest file", lambda p, c: -float(p.size)),
        KeeperRule("older", "oldest file", lambda p, c: -float(p.mtime_ns)),
        KeeperRule("newer", "newest file", lambda p, c: float(p.mtime_ns)),
    )
}
