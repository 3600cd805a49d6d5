"""A generated evaluation set for near-duplicate detection: many photos, random edits, bursts.

Sources are every camera photo of the shared corpus (``exif-samples``, one per known
duplicate group, downscaled to at most 1600 px and re-encoded) and generated pictures
(gradients with shapes, noise textures, shape collages, landscapes with houses). Each
source gets copies of random kinds (:data:`KINDS`): crops of 1–10 % on one side or
spread over all sides (random sides and amounts), recompression down to quality 25,
320-px-wide copies, ±25 % contrast or brightness, pixels rotated with an EXIF
Orientation tag. Burst pairs (same scene, camera shifted and turned a little, a subject
moved) are added as two more photos that must stay apart. Nothing carries a camera date,
so the pixels alone decide (the capture-time guard would separate bursts for free).

``build(folder, seed)`` writes the files and returns the truth; ``score(groups, truth)``
gives pair precision and recall per kind. ``bench/dupes_bench.py`` runs it through the
real indexer and ``find_groups``. Different seeds give different sources and edits: keep
one (e.g. 1) for tuning and judge on others.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
#: Copy kinds and their weights (crops, the hard case, twice as often).
KINDS = {
    "crop_one_side": 2,
    "crop_all_sides": 2,
    "recompress": 1,
    "w320": 1,
    "contrast": 1,
    "brightness": 1,
    "exif_rotated": 1,
}
SOURCE_SIDE = 1600
ORIENTATION_TAG = 0x0112


@dataclass
class EvalSet:
    """What was written: groups of files showing one photograph, and burst pairs."""

    groups: list[list[str]] = field(default_factory=list)
    kind_of: dict[str, str] = field(default_factory=dict)  # copy path -> kind
    bursts: list[tuple[str, str]] = field(default_factory=list)
    sources: int = 0

    @property
    def files(self) -> int:
        return sum(len(g) for g in self.groups) + 2 * len(self.bursts)


def corpus_photos() -> list[Path]:
    """Camera photos of the corpus: one per labelled duplicate group, none of ``dups/``."""
    root = CORPUS / "exif-samples"
    if not root.is_dir():
        return []
    seen_groups: set[str] = set()
    group_of: dict[str, str] = {}
    truth = CORPUS / "dup_groups.tsv"
    if truth.exists():
        for line in truth.read_text().splitlines()[1:]:
            path, group = line.split("\t")
            group_of[str(CORPUS / path)] = group
    photos = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        group = group_of.get(str(path))
        if group is not None:
            if group in seen_groups:
                continue
            seen_groups.add(group)
        photos.append(path)
    return photos


def _load(path: Path) -> tuple[Image.Image, bytes | None] | None:
    try:
        from core.media.decode import register_heif

        register_heif()
        with Image.open(path) as image:
            image.draft("RGB", (SOURCE_SIDE, SOURCE_SIDE))
            exif = image.getexif()
            upright = ImageOps.exif_transpose(image).convert("RGB")
            exif.pop(ORIENTATION_TAG, None)
            exif_bytes = exif.tobytes() if len(exif) else None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return None
    if min(upright.size) < 64:
        return None
    upright.thumbnail((SOURCE_SIDE, SOURCE_SIDE), Image.Resampling.LANCZOS)
    return upright, exif_bytes


# --- generated sources -------------------------------------------------------------------


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))


def _shapes(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], count: int) -> None:
    w, h = size
    for _ in range(count):
        x, y = rng.randint(-w // 8, w), rng.randint(-h // 8, h)
        sw, sh = rng.randint(w // 20, w // 3), rng.randint(h // 20, h // 3)
        shape = rng.choice(("rectangle", "ellipse", "polygon", "line"))
        if shape == "rectangle":
            draw.rectangle((x, y, x + sw, y + sh), fill=_colour(rng))
        elif shape == "ellipse":
            draw.ellipse((x, y, x + sw, y + sh), fill=_colour(rng))
        elif shape == "polygon":
            draw.polygon(
                [(x + rng.randint(0, sw), y + rng.randint(0, sh)) for _ in range(rng.randint(3, 6))], fill=_colour(rng)
            )
        else:
            draw.line((x, y, x + sw, y + sh), fill=_colour(rng), width=rng.randint(2, 12))


def gradient(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A two-colour gradient in a random direction with a few shapes over it."""
    w, h = size
    small = Image.linear_gradient("L").rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR, expand=False)
    mask = small.resize(size, Image.Resampling.BILINEAR)
    image = Image.composite(Image.new("RGB", size, _colour(rng)), Image.new("RGB", size, _colour(rng)), mask)
    _shapes(ImageDraw.Draw(image), rng, size, rng.randint(3, 8))
    return image.filter(ImageFilter.GaussianBlur(1))


def noise_texture(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Blurred colour noise at a random scale: detail everywhere, no objects."""
    w, h = size
    # Cells of 1/40 to 1/10 of the picture: finer noise is below what the 256-px
    # thumbnails the verifier compares can show (a known limit, see the report).
    scale = rng.choice((40, 64, 100))
    channels = [Image.effect_noise((max(2, w // scale), max(2, h // scale)), rng.uniform(40, 90)) for _ in range(3)]
    small = Image.merge("RGB", channels)
    image = small.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 20).convert("RGB")
    return Image.blend(image, grain, 0.1)


def collage(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, _colour(rng))
    _shapes(ImageDraw.Draw(image), rng, size, rng.randint(12, 40))
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5)))


def scene(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A landscape with houses and trees (``core.demo.pictures``)."""
    from core.demo.pictures import landscape

    w, h = size
    image = landscape(w, h, rng.randint(0, 10**6))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(6, 18)):
        x, y = rng.randint(0, w - w // 10), rng.randint(h // 3, h - h // 10)
        bw, bh = rng.randint(w // 30, w // 9), rng.randint(h // 25, h // 7)
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + bw, y + bh), fill=_colour(rng), outline=(20, 20, 20))
            draw.polygon([(x - 4, y), (x + bw // 2, y - bh // 2), (x + bw + 4, y)], fill=(150, 40, 30))
        else:
            draw.ellipse((x, y, x + bw, y + bh * 1.5), fill=(30, 90 + rng.randint(0, 80), 40))
    return image


GENERATORS = (gradient, noise_texture, collage, scene)


def generated(rng: random.Random) -> Image.Image:
    """A generated picture with some contrast (a flat one shows nothing to tell it apart by)."""
    size = rng.choice(((1200, 900), (900, 1200), (1024, 768), (1600, 900), (800, 800)))
    while True:
        image = rng.choice(GENERATORS)(rng, size)
        if max(ImageStat.Stat(image.convert("YCbCr")).stddev) >= 12:
            return image


# --- copies -----------------------------------------------------------------------------


def crop_box(rng: random.Random, size: tuple[int, int], all_sides: bool) -> tuple[int, int, int, int]:
    """A box removing 1–10 % of the width and of the height (one side, or split over all four)."""
    w, h = size
    if not all_sides:
        amount = rng.uniform(0.01, 0.10)
        side = rng.choice("ltrb")
        cut = round((w if side in "lr" else h) * amount)
        return {"l": (cut, 0, w, h), "r": (0, 0, w - cut, h), "t": (0, cut, w, h), "b": (0, 0, w, h - cut)}[side]
    across, down = rng.uniform(0.01, 0.10), rng.uniform(0.01, 0.10)
    left, top = rng.random(), rng.random()
    return (
        round(w * across * left),
        round(h * down * top),
        w - round(w * across * (1 - left)),
        h - round(h * down * (1 - top)),
    )


def make_copy(rng: random.Random, image: Image.Image, kind: str, path: Path, exif_bytes: bytes | None = None) -> Path:
    """Write a copy of ``image`` of the given kind (a JPEG) at ``path``, with ``exif_bytes`` if given."""
    quality = 90
    exif = None
    if exif_bytes:
        exif = Image.Exif()
        exif.load(exif_bytes)
    if kind in ("crop_one_side", "crop_all_sides"):
        image = image.crop(crop_box(rng, image.size, kind == "crop_all_sides"))
    elif kind == "recompress":
        quality = rng.randint(25, 60)
    elif kind == "w320":
        image = image.resize((320, max(1, round(image.height * 320 / image.width))), Image.Resampling.LANCZOS)
    elif kind == "contrast":
        image = ImageEnhance.Contrast(image).enhance(rng.choice((rng.uniform(0.75, 0.9), rng.uniform(1.1, 1.25))))
    elif kind == "brightness":
        image = ImageEnhance.Brightness(image).enhance(rng.choice((rng.uniform(0.75, 0.9), rng.uniform(1.1, 1.25))))
    elif kind == "exif_rotated":
        orientation, turn = rng.choice(
            ((6, Image.Transpose.ROTATE_90), (8, Image.Transpose.ROTATE_270), (3, Image.Transpose.ROTATE_180))
        )
        image = image.transpose(turn)  # stored turned; the tag turns it back upright
        exif = exif or Image.Exif()
        exif[ORIENTATION_TAG] = orientation
    options: dict[str, object] = {"quality": quality}
    if exif is not None:
        options["exif"] = exif.tobytes()
    image.save(path, "JPEG", **options)
    return path


def burst_pair(rng: random.Random, base: Image.Image) -> tuple[Image.Image, Image.Image]:
    """Two frames of one scene a moment apart: camera shifted and turned a little, a subject moved."""
    w, h = base.size
    frames = []
    subject_x = rng.uniform(0.15, 0.65)
    move = rng.choice((-1, 1)) * rng.uniform(0.06, 0.12)
    subject_colour = _colour(rng)
    for frame in range(2):
        turned = base.rotate(rng.uniform(-1.5, 1.5) if frame else 0, resample=Image.Resampling.BICUBIC)
        image = turned.copy()
        draw = ImageDraw.Draw(image)
        x = int(w * (subject_x + (move if frame else 0)))
        y = int(h * 0.42)
        draw.ellipse((x, y, x + w // 9, y + h // 4), fill=subject_colour)
        draw.ellipse((x + w // 36, y - h // 10, x + w // 12, y), fill=(235, 190, 160))
        dx, dy = round(w * rng.uniform(0.02, 0.04)), round(h * rng.uniform(0.02, 0.04))
        ox, oy = (rng.randint(0, dx), rng.randint(0, dy)) if frame else (dx // 2, dy // 2)
        frames.append(image.crop((ox, oy, w - dx + ox, h - dy + oy)))
    second = ImageEnhance.Brightness(frames[1]).enhance(rng.uniform(0.97, 1.03))
    return frames[0], second


# --- the set ----------------------------------------------------------------------------


def build(
    folder: Path,
    seed: int,
    *,
    generated_sources: int = 120,
    copies: int = 3,
    bursts: int = 40,
    corpus: bool = True,
    copies_keep_exif: bool = False,
) -> EvalSet:
    """Write the evaluation set into ``folder`` (created) and return its truth.

    ``copies_keep_exif``: copies of a camera photo carry its EXIF (as an editor's export
    does), so the capture-time guard is in play; by default copies carry none and the
    pixels alone decide.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    loaded: list[tuple[Image.Image, bytes | None]] = []
    if corpus:
        loaded += [found for found in map(_load, corpus_photos()) if found is not None]
    loaded += [(generated(rng), None) for _ in range(generated_sources)]
    rng.shuffle(loaded)
    sources = [image for image, _exif in loaded]
    result = EvalSet(sources=len(sources))
    kinds, weights = list(KINDS), list(KINDS.values())
    for number, (image, exif) in enumerate(loaded):
        # A camera photo keeps its EXIF (as the original in a library does: the
        # capture-time guard then separates two exposures of one scene); copies get none.
        original = folder / f"s{number:04d}.jpg"
        image.save(original, "JPEG", quality=92, **({"exif": exif} if exif else {}))
        group = [str(original)]
        for copy_number, kind in enumerate(rng.choices(kinds, weights, k=copies)):
            path = make_copy(
                rng, image, kind, folder / f"s{number:04d}_{copy_number}_{kind}.jpg", exif if copies_keep_exif else None
            )
            group.append(str(path))
            result.kind_of[str(path)] = kind
        result.groups.append(group)
    for number in range(bursts):
        # Not a source of the set (a burst frame is not a copy of any source): new
        # generated content, a landscape half of the time.
        base = scene(rng, (1200, 900)) if rng.random() < 0.5 else generated(rng)
        first, second = burst_pair(rng, base)
        a, b = folder / f"burst{number:03d}_a.jpg", folder / f"burst{number:03d}_b.jpg"
        first.save(a, "JPEG", quality=90)
        second.save(b, "JPEG", quality=90)
        result.bursts.append((str(a), str(b)))
    return result


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    found_pairs: int
    true_pairs: int
    recall_by_kind: dict[str, tuple[int, int]]  # kind -> (found, of)
    bursts_joined: int
    false_pairs: list[tuple[str, str]]
    missed: list[tuple[str, str]]


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for g in groups for pair in itertools.combinations(sorted(g), 2)}


def score(found_groups: Iterable[Iterable[str]], truth: EvalSet) -> Score:
    """Pair precision and recall of ``found_groups`` (paths) against the truth."""
    true_pairs = _pairs(truth.groups)
    found = _pairs(found_groups)
    hits = true_pairs & found
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group in truth.groups:
        original = group[0]
        for copy in group[1:]:
            pair = tuple(sorted((original, copy)))
            counts = by_kind[truth.kind_of[copy]]
            counts[1] += 1
            counts[0] += pair in found
    bursts = sum(1 for a, b in truth.bursts if tuple(sorted((a, b))) in found)
    return Score(
        precision=len(hits) / max(1, len(found)),
        recall=len(hits) / max(1, len(true_pairs)),
        found_pairs=len(found),
        true_pairs=len(true_pairs),
        recall_by_kind={k: (v[0], v[1]) for k, v in sorted(by_kind.items())},
        bursts_joined=bursts,
        false_pairs=sorted(found - true_pairs),
        missed=sorted(true_pairs - found),
    )
