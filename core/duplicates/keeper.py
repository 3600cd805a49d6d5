"""Which copy to keep: the camera original, by a configurable chain of rules.

The chain is config ``[duplicates] keep``, a list of rule names tried in order; each rule
keeps the members it scores best and the first that leaves one member decides (its reason
is shown). The signals behind the rules are read when a group is built
(:mod:`core.duplicates.signals`).

``reference``         a copy in a root marked reference (never-delete) wins
``pixels``            most pixels: the full frame over crops and resizes
``camera``            the camera original: the camera's MakerNote, a make/model, the format that
                      camera writes (iPhones HEIC, other cameras JPEG; never PNG/WebP), EXIF's pixel
                      size matching the file, a JPEG laid out as cameras write it (not re-encoded by
                      Pillow/GIMP/ImageMagick), no editor in ``Software``
``metadata``          most metadata (EXIF fields, an ICC profile): copies lose metadata, never gain it
``unedited``          tone nearest the group's (3+ copies): a brightened or contrast-boosted copy stands out
``upright``           stored as shown (no EXIF rotation) over pixels rotated behind an Orientation tag
``quality``           highest JPEG quality estimated from the quantisation tables, except that a
                      re-encode of another member (whose coefficients sit on that member's
                      quantisation lattice) ranks last
``original``          a camera format (RAW, HEIC, JPEG, TIFF) over a converted one (PNG, WebP…)
``folder``            the photo's own folder: not a ``copy``/``dup``/``backup``/``(1)``-style folder or
                      name, and the one holding the day's other photos from that camera
``format:A>B>C``      formats in this order, e.g. ``format:heic>jpeg`` (others after)
``folder:PATH``       a copy under PATH wins (a folder priority)
``size`` / ``smaller``  larger / smaller file
``older`` / ``newer``   older / newer file modification time

Default: ``reference, pixels, camera, metadata, unedited, upright, quality, folder, older``;
ties keep the lowest id. A group's suggestion is *confident* (safe to accept in bulk) only when
every signal agrees: no member beats the keeper on ``pixels``, ``camera``, ``metadata`` or
``unedited``; each member those tie with it is a byte-identical copy, a re-encode of it,
rotated behind an EXIF tag, or a JPEG 5+ quality steps below it that it is no re-encode of; none of them beats it on ``upright``, ``quality`` or ``folder`` or
differs from it in tone; and the keeper was not left to file size or time (or the first catalogued).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from core.catalog.records import Photo
from core.duplicates.signals import PhotoSignals, edit_distances
from core.media.formats import RAW_EXTENSIONS

DEFAULT_RULES: tuple[str, ...] = (
    "reference", "pixels", "camera", "metadata", "unedited", "upright", "quality", "folder", "older",
)  # fmt: skip
#: Evidence of which copy is the original: a confident keeper is best on every one of them.
SIGNAL_RULES: tuple[str, ...] = ("pixels", "camera", "metadata", "unedited")
#: Evidence only among copies the signals cannot tell apart (cameras write Orientation tags
#: too; a re-encode may raise the JPEG quality; a copy's folder matters once its content is the
#: same): a confident keeper is best on these among the members tied with it on every signal.
TIEBREAK_RULES: tuple[str, ...] = ("upright", "quality", "folder")
#: Rules that pick without evidence about originality: a keeper they chose is never confident.
FALLBACK_RULES = frozenset({"size", "smaller", "older", "newer"})
CAMERA_FORMATS = frozenset({"jpeg", "heic", "heif", "tiff", "dng", *RAW_EXTENSIONS})
FORMAT_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "tif": "tiff", "heif": "heic", "hif": "heic"}
EXIF_DATE_SOURCES = ("exif", "exif-create")
#: Makes whose cameras write HEIC by default (a JPEG of theirs is most often an export).
HEIC_MAKES = ("apple",)
#: JPEG quality steps from which a re-encode's coefficients show its source's quantisation.
RELIABLE_QUALITY_STEP = 5
#: Tone distance (luminance levels, mean + spread) from the group's median beyond which a copy is an edit.
EDIT_LEVELS = 6.0


class KeeperRuleError(ValueError):
    """A rule name in ``[duplicates] keep`` that Shoebox does not know."""


@dataclass(frozen=True, slots=True)
class KeeperContext:
    """What rules need beyond the photo itself: reference roots, and the members' signals."""

    reference_root_ids: frozenset[int] = frozenset()
    signals: Mapping[int, PhotoSignals] = field(default_factory=dict)
    edits: Mapping[int, float] = field(default_factory=dict)  # tone distance from the group's median
    #: Finds which of some members are re-encodes of another of them (decodes them: asked only
    #: when JPEG quality is about to decide between different files).
    reencodes: Callable[[Sequence[Photo]], frozenset[int]] | None = None
    derived: frozenset[int] = frozenset()  # what ``reencodes`` found among the current contenders

    def of(self, photo: Photo) -> PhotoSignals:
        return self.signals.get(photo.id) or PhotoSignals()


@dataclass(frozen=True, slots=True)
class KeeperRule:
    """One rule: a score (higher is better) and the reason shown when it decides.

    ``explain``, when set, words the reason for a particular keeper and the members it beat.
    """

    name: str
    reason: str
    score: Callable[[Photo, KeeperContext], float]
    explain: Callable[[Photo, Sequence[Photo], KeeperContext], str] | None = None

    def reason_for(self, keeper: Photo, beaten: Sequence[Photo], context: KeeperContext) -> str:
        return self.explain(keeper, beaten, context) if self.explain is not None else self.reason


@dataclass(frozen=True, slots=True)
class KeeperChoice:
    """The suggested keeper, the reason (the rule that decided) and whether every signal agrees."""

    photo: Photo
    reason: str
    confident: bool
    rule: str | None = None


def parse_rules(names: Sequence[str] | None) -> list[KeeperRule]:
    """Rules from their names (``None`` or empty: the default chain)."""
    return [_rule(name) for name in (names or DEFAULT_RULES)]


def choose_keeper(
    photos: Sequence[Photo], rules: Sequence[KeeperRule], context: KeeperContext = KeeperContext()
) -> KeeperChoice:
    """The photo to keep, the rule that set it apart, and whether all signals agree on it."""
    if not photos:
        raise ValueError("no photos to choose from")
    if context.signals and not context.edits:
        context = replace(context, edits=edit_distances({p.id: context.of(p).tone for p in photos}))
    contenders = sorted(photos, key=lambda p: p.id)
    cuts: list[tuple[KeeperRule, list[Photo]]] = []  # each rule that set members apart, and those it beat
    for rule in rules:
        if rule.name == "quality":
            context = _with_reencodes(context, contenders)
        scores = [rule.score(p, context) for p in contenders]
        best = max(scores)
        if min(scores) != best:
            cuts.append((rule, [p for p, s in zip(contenders, scores, strict=True) if s != best]))
            contenders = [p for p, s in zip(contenders, scores, strict=True) if s == best]
            if len(contenders) == 1:
                break
    keeper = contenders[0]
    if not cuts:
        return KeeperChoice(keeper, "all alike: the first catalogued", False)
    if len(contenders) > 1:  # what set the others apart, then the first catalogued of the rest
        rule, beaten = cuts[-1]
        return KeeperChoice(
            keeper, f"{rule.reason_for(keeper, beaten, context)}; the rest alike: the first catalogued", False
        )
    decided_by = cuts[-1][0].name
    confident = decided_by not in FALLBACK_RULES and _all_agree(keeper, photos, context)
    return KeeperChoice(keeper, _reason(keeper, cuts, context), confident, decided_by)


def suggest_keeper(
    photos: Sequence[Photo], rules: Sequence[KeeperRule], context: KeeperContext = KeeperContext()
) -> tuple[Photo, str]:
    """The photo to keep and the reason (the rule that set it apart)."""
    choice = choose_keeper(photos, rules, context)
    return choice.photo, choice.reason


def _reason(keeper: Photo, cuts: list[tuple[KeeperRule, list[Photo]]], context: KeeperContext) -> str:
    """The deciding rule's reason; when it only beat byte-identical copies, the rule that beat
    the other copies first (what made this the original), then the one that chose among its copies."""
    rule, beaten = cuts[-1]
    reason = rule.reason_for(keeper, beaten, context)
    if all(p.sha256 == keeper.sha256 for p in beaten):
        earlier = [(r, b) for r, b in cuts[:-1] if any(p.sha256 != keeper.sha256 for p in b)]
        if earlier:
            first_rule, first_beaten = earlier[-1]
            return f"{first_rule.reason_for(keeper, first_beaten, context)}; of the identical copies, {reason}"
    return reason


def _all_agree(keeper: Photo, photos: Sequence[Photo], context: KeeperContext) -> bool:
    """No signal rates any member above the keeper, nor a tiebreak (in turn) one of the members
    the signals tie with it; and none of those looks like an edit of the keeper or it of them."""
    tied = list(photos)
    for name in SIGNAL_RULES:
        rule = _SIMPLE[name]
        mine = rule.score(keeper, context)
        if any(rule.score(p, context) > mine for p in photos):
            return False
        tied = [p for p in tied if rule.score(p, context) == mine]
    tones_differ = _tones_differ(keeper, tied, context)
    context = _with_reencodes(context, tied)
    unexplained = [
        p for p in tied
        if p.sha256 != keeper.sha256 and p.id not in context.derived
        and _upright(p, context) == _upright(keeper, context) and not _clearly_recompressed(p, keeper, context)
    ]  # fmt: skip
    if unexplained:  # a different file only a small JPEG quality step or the folder told apart: a guess
        return False
    for name in TIEBREAK_RULES:
        rule = _SIMPLE[name]
        mine = rule.score(keeper, context)
        if any(rule.score(p, context) > mine for p in tied):
            return False
        tied = [p for p in tied if rule.score(p, context) == mine]
    return not tones_differ


def _clearly_recompressed(photo: Photo, keeper: Photo, context: KeeperContext) -> bool:
    """``photo`` is a JPEG well below the keeper's quality, and the keeper is no re-encode of it
    (the lattice test tells re-encodes apart from :data:`RELIABLE_QUALITY_STEP` steps up)."""
    mine, theirs = context.of(keeper).file.quality, context.of(photo).file.quality
    return mine is not None and theirs is not None and mine - theirs >= RELIABLE_QUALITY_STEP


def _with_reencodes(context: KeeperContext, contenders: Sequence[Photo]) -> KeeperContext:
    """The context knowing which contenders are re-encodes of another, when their qualities differ."""
    qualities = {context.of(p).file.quality for p in contenders} - {None}
    if context.reencodes is None or len(qualities) < 2:
        return context
    return replace(context, derived=context.derived | context.reencodes(contenders))


def _tones_differ(keeper: Photo, tied: Sequence[Photo], context: KeeperContext) -> bool:
    """A member the signals tie with the keeper looks edited against it (or it against them):
    with too few copies to tell which is the outlier, which one is the edit is a guess."""
    mine = context.of(keeper).tone
    if mine is None:
        return False
    for other in tied:
        tone = context.of(other).tone
        if tone is not None and abs(tone[0] - mine[0]) + abs(tone[1] - mine[1]) > EDIT_LEVELS:
            return True
    return False


def metadata_richness(photo: Photo) -> int:
    return (
        int(photo.taken_at is not None and photo.taken_at_source in EXIF_DATE_SOURCES)
        + int(photo.gps_lat is not None and photo.gps_lon is not None)
        + int(bool(photo.make or photo.model))
    )


def normalise_format(name: str) -> str:
    name = name.strip().lower().lstrip(".")
    return FORMAT_ALIASES.get(name, name)


def camera_marks(photo: Photo, signals: PhotoSignals) -> dict[str, float]:
    """The signs that a camera wrote this file (each 1 when present; an editor's name counts −1)."""
    fmt = normalise_format(photo.format)
    heic_make = (photo.make or "").strip().lower().startswith(HEIC_MAKES)
    if fmt in RAW_EXTENSIONS or fmt == "dng":
        own_format = 2.0
    elif fmt == "heic":
        own_format = 1.0 if heic_make else 0.0
    elif fmt == "jpeg":
        own_format = 0.5 if heic_make else 1.0
    else:
        own_format = 0.5 if fmt == "tiff" else 0.0
    file = signals.file
    return {
        "the format this camera writes": own_format,
        "the camera's MakerNote": float(file.makernote),
        "a camera make and model": float(bool(photo.make or photo.model)),
        "EXIF's pixel size matches the file": float(file.exif_size_matches),
        "laid out as cameras write JPEG": float(bool(file.camera_layout)),
        "no editor in Software": -1.0 if file.edited_by else 0.0,
    }


def _camera(photo: Photo, context: KeeperContext) -> float:
    return sum(camera_marks(photo, context.of(photo)).values())


def _explain_camera(keeper: Photo, beaten: Sequence[Photo], context: KeeperContext) -> str:
    """The camera mark that sets the keeper apart from most of the members it beat."""
    mine = camera_marks(keeper, context.of(keeper))
    theirs = {p.id: camera_marks(p, context.of(p)) for p in beaten}
    lacking = {name: [p for p in beaten if theirs[p.id][name] < value] for name, value in mine.items()}
    name = max(lacking, key=lambda n: len(lacking[n]))
    if not lacking[name]:
        return "camera original"
    return f"camera original: {_camera_phrase(name, keeper, lacking[name], context)}"


def _camera_phrase(mark: str, keeper: Photo, lacking: Sequence[Photo], context: KeeperContext) -> str:
    if mark == "the format this camera writes":
        others = "/".join(sorted({normalise_format(p.format).upper() for p in lacking}))
        return f"{normalise_format(keeper.format).upper()} as the camera writes it, the others {others}"
    if mark == "laid out as cameras write JPEG":
        return "the others re-encoded (JFIF first, as Pillow, GIMP and ImageMagick write)"
    if mark == "no editor in Software":
        editors = sorted({context.of(p).file.edited_by or "" for p in lacking} - {""})
        return f"the others edited in {', '.join(editors)}"
    if mark == "EXIF's pixel size matches the file":
        return "its pixel size is the one EXIF records; the others resized, cropped or rotated"
    if mark == "the camera's MakerNote":
        return "has the camera's MakerNote; the others lost it"
    return "has the camera make and model; the others lost them"


def _metadata(photo: Photo, context: KeeperContext) -> float:
    signals = context.signals.get(photo.id)
    if signals is None:
        return float(metadata_richness(photo))
    return float(signals.file.exif_fields + int(signals.file.icc) + metadata_richness(photo))


def _unedited(photo: Photo, context: KeeperContext) -> float:
    distance = context.edits.get(photo.id, 0.0)
    return 0.0 if distance <= EDIT_LEVELS else -round(distance)


def _upright(photo: Photo, context: KeeperContext) -> float:
    return float(photo.orientation in (None, 1))


def _quality(photo: Photo, context: KeeperContext) -> float:
    """The estimated JPEG quality; a re-encode of another member ranks below every quality."""
    quality = context.of(photo).file.quality
    if quality is not None and photo.id in context.derived:
        return -1.0
    return float(quality or 0)


def _explain_quality(keeper: Photo, beaten: Sequence[Photo], context: KeeperContext) -> str:
    if any(p.id in context.derived for p in beaten):
        return "the others are re-encodes of it: its JPEG quantisation shows in their pixels"
    return "highest JPEG quality: the others were recompressed"


def _folder(photo: Photo, context: KeeperContext) -> float:
    signals = context.of(photo)
    return (0.0 if signals.copy_like else 1e6) + signals.siblings


def _explain_folder(keeper: Photo, beaten: Sequence[Photo], context: KeeperContext) -> str:
    if any(context.of(p).copy_like for p in beaten) and not context.of(keeper).copy_like:
        return "in its own folder, not a copy/backup folder or a copy's name"
    return f"in the folder with that day's other photos from this camera ({context.of(keeper).siblings})"


def _explain_pixels(keeper: Photo, beaten: Sequence[Photo], context: KeeperContext) -> str:
    return "full frame: the others are crops or smaller" if beaten else "most pixels"


def _rule(name: str) -> KeeperRule:
    key, _, argument = name.strip().partition(":")
    key = key.lower()
    if key in _SIMPLE and not argument:
        return _SIMPLE[key]
    if key == "format" and argument:
        order = [normalise_format(f) for f in argument.split(">") if f.strip()]
        rank = {fmt: len(order) - i for i, fmt in enumerate(order)}
        return KeeperRule(
            name, f"preferred format ({' > '.join(order)})", lambda p, c: rank.get(normalise_format(p.format), 0)
        )
    if key == "folder" and argument:
        prefix = os.path.normpath(os.path.expanduser(argument))
        return KeeperRule(name, f"in {prefix}", lambda p, c: float(_under(p.path, prefix)))
    known = ", ".join([*_SIMPLE, "format:A>B", "folder:PATH"])
    raise KeeperRuleError(f"unknown keeper rule {name!r} in [duplicates] keep (known: {known})")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip(os.sep) + os.sep)


def _pixels(photo: Photo, context: KeeperContext | None = None) -> float:
    """Decoded pixels when the header was read (a HEIC's coded size can be padded), else the catalog's."""
    decoded = context.of(photo).file.stored_size if context is not None else None
    if decoded:
        return float(decoded[0] * decoded[1])
    return float((photo.width or 0) * (photo.height or 0))


_SIMPLE: dict[str, KeeperRule] = {
    rule.name: rule
    for rule in (
        KeeperRule("reference", "in a reference folder", lambda p, c: float(p.root_id in c.reference_root_ids)),
        KeeperRule("pixels", "most pixels", _pixels, _explain_pixels),
        KeeperRule("camera", "camera original", _camera, _explain_camera),
        KeeperRule("metadata", "richest metadata: the others lost some", _metadata),
        KeeperRule("unedited", "unedited: the others' brightness or contrast stands out from the group", _unedited),
        KeeperRule("upright", "stored upright: the others' pixels are rotated behind an EXIF tag", _upright),
        KeeperRule("quality", "highest JPEG quality: the others were recompressed", _quality, _explain_quality),
        KeeperRule("original", "original format", lambda p, c: float(normalise_format(p.format) in CAMERA_FORMATS)),
        KeeperRule("folder", "in its own folder", _folder, _explain_folder),
        KeeperRule("size", "largest file", lambda p, c: float(p.size)),
        KeeperRule("smaller", "smallest file", lambda p, c: -float(p.size)),
        KeeperRule("older", "oldest file", lambda p, c: -float(p.mtime_ns)),
        KeeperRule("newer", "newest file", lambda p, c: float(p.mtime_ns)),
    )
}
