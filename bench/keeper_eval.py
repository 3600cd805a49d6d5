"""Keeper accuracy: is the suggested keeper the camera original?

Builds an evaluation set of duplicate groups the way people and tools make copies — the
corpus' real camera photos (``exif-samples``: real EXIF and MakerNotes from many makes, iPhone
HEICs) and generated photos, each with 1–5 copies of random kinds: Pillow re-encodes that keep
or drop EXIF (``exif=`` passed through as tools do), PNG/WebP/HEIC conversions, random crops,
±25 % brightness or contrast, pixels rotated behind an EXIF Orientation tag, 320 px and 50 %
resizes, byte-identical copies in ``Copies``/``backup`` folders or named ``IMG (1).jpg``, and
copies whose file time is older than the original's. The set is indexed with the real
indexer and grouped with the real finder; a group is right when its keeper is the original
or a byte-identical copy of it. Printed: accuracy overall, per copy kind, of the groups
marked ``confident``, and the old default chain's accuracy on the same groups (the baseline);
then the same on the real-photo corpus' labelled groups (``dups/`` + originals named in
``dup_groups.tsv``).

Run a development seed and a held-out seed (signals were designed on the first; the second
checks they were not tuned to it)::

    python3 bench/keeper_eval.py [--groups 150] [--seed 1] [--holdout 2] [--no-corpus]

``evaluate(seed, groups)`` and ``corpus_keeper_accuracy()`` return a :class:`KeeperReport`
(for ``bench/dupes_bench.py``); ``KeeperReport.lines()`` words it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageEnhance  # noqa: E402

from core.demo.pictures import Shot, exif_for, landscape  # noqa: E402
from core.duplicates.keeper import KeeperContext, choose_keeper, parse_rules  # noqa: E402
from core.duplicates.records import DuplicateGroup  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
#: The default chain before the camera-original rules (issue #10): the baseline.
OLD_DEFAULT = ("reference", "pixels", "original", "metadata", "size", "older")
SKIPPED_SOURCES = ("invalid", "tests", "orientation", "hdr", "corrupted", "xmp", "PaintTool", "long_description")
MAKES = [("Canon", "Canon EOS 80D"), ("NIKON CORPORATION", "NIKON D750"), ("SONY", "ILCE-7M3"),
         ("FUJIFILM", "X-T3"), ("samsung", "SM-G991B"), ("Google", "Pixel 7"), (None, None)]  # fmt: skip


@dataclass(slots=True)
class KeeperReport:
    """Keeper accuracy on one set: overall, per copy kind, for confident groups, and the baseline's."""

    name: str
    groups: int = 0
    right: int = 0
    baseline_right: int = 0
    confident: int = 0
    confident_right: int = 0
    not_found: int = 0  # truth groups the finder did not group with their original
    members: int = 0  # photos in the found groups
    signals_seconds: float = 0.0  # building the groups with the signals read (files + thumbnails)
    cached_seconds: float = 0.0  # the same with the signals cached in the catalog (a second run)
    plain_seconds: float = 0.0  # building the same groups from the catalog's fields alone (the old chain's cost)
    per_kind: dict[str, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )  # groups, right, baseline
    wrong_keepers: Counter = field(default_factory=Counter)  # kind of the copy wrongly kept
    mistakes: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / max(1, self.groups)

    @property
    def baseline(self) -> float:
        return self.baseline_right / max(1, self.groups)

    def lines(self) -> list[str]:
        out = [
            f"{self.name}: keeper is the original in {self.right}/{self.groups} groups = {100 * self.accuracy:.1f} % "
            f"(old default chain: {self.baseline_right}/{self.groups} = {100 * self.baseline:.1f} %)",
            f"  confident: {self.confident}/{self.groups} groups, of which right {self.confident_right}"
            f" = {100 * self.confident_right / max(1, self.confident):.1f} %"
            + (f"; {self.not_found} labelled groups not found by the finder" if self.not_found else ""),
            "  per copy kind (groups containing one: new / old):",
        ]
        for kind, (count, right, base) in sorted(self.per_kind.items()):
            out.append(f"    {kind:18} {count:4}  {100 * right / count:5.1f} %  / {100 * base / count:5.1f} %"
                       + (f"   kept wrongly {self.wrong_keepers[kind]}×" if self.wrong_keepers[kind] else ""))  # fmt: skip
        if self.members:
            per = {name: 1000 * value / self.members for name, value in
                   (("cold", self.signals_seconds), ("cached", self.cached_seconds), ("plain", self.plain_seconds))}  # fmt: skip
            out.append(f"  group building, ms a member ({self.members} members): {per['cold']:.2f} reading signals "
                       f"(headers, thumbnails, re-encode checks), {per['cached']:.2f} with them cached, "
                       f"{per['plain']:.2f} from the catalog alone (baseline)")  # fmt: skip
        out.extend(f"  wrong: {m}" for m in self.mistakes[:12])
        return out


# --- the evaluation set -------------------------------------------------------------------


@dataclass(slots=True)
class Source:
    """One original photograph: its file, day, and what it is."""

    path: Path
    day: str
    camera: bool  # from the corpus (a real camera's file) rather than generated


def corpus_sources(corpus: Path = CORPUS) -> list[Path]:
    """The corpus' camera photos Pillow can read, with a camera make (one photo per capture)."""
    from core.media.decode import register_heif

    register_heif()
    found = []
    for path in sorted((corpus / "exif-samples").rglob("*")):
        if not path.is_file() or any(part in str(path) for part in SKIPPED_SOURCES):
            continue
        if path.suffix.lower() not in (".jpg", ".jpeg", ".heic", ".heif"):
            continue
        try:
            with Image.open(path) as image:
                image.load()
                if min(image.size) < 48 or not image.getexif().get(0x010F):
                    continue
        except Exception:  # noqa: BLE001 — unreadable samples are not sources
            continue
        found.append(path)
    return found


def _shot_date(path: Path) -> str:
    with Image.open(path) as image:
        exif = image.getexif()
        value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132) or ""
    value = str(value).strip("\x00 ")
    return (
        value[:10].replace(":", "-")
        if len(value) >= 10 and value[:4].isdigit() and value[:4] != "0000"
        else "2011-06-05"
    )


CopyMaker = Callable[[Image.Image, bytes | None, random.Random, Path], Path]


def _exif_or_none(exif: bytes | None, rng: random.Random) -> dict[str, object]:
    """Tools either pass the original's EXIF through (``exif=``) or drop it."""
    return {"exif": exif} if exif and rng.random() < 0.6 else {}


def _jpeg(image: Image.Image, target: Path, rng: random.Random, **options: object) -> Path:
    quality = rng.choice([75, 75, 80, 85, 90, 95])  # Pillow's default 75 is the commonest
    image.save(target.with_suffix(".jpg"), "JPEG", quality=quality, **options)
    return target.with_suffix(".jpg")


def _recompress(image, exif, rng, target):
    return _jpeg(image, target, rng, **({"exif": exif} if exif else {}))


def _stripped(image, exif, rng, target):
    return _jpeg(image, target, rng)


def _resize50(image, exif, rng, target):
    return _jpeg(
        image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS),
        target,
        rng,
        **_exif_or_none(exif, rng),
    )


def _w320(image, exif, rng, target):
    height = round(image.height * 320 / image.width)
    return _jpeg(image.resize((320, height), Image.Resampling.LANCZOS), target, rng, **_exif_or_none(exif, rng))


def _crop(image, exif, rng, target):
    w, h = image.size
    fraction = rng.uniform(0.03, 0.12)
    left, top = round(w * fraction * rng.random()), round(h * fraction * rng.random())
    box = (left, top, left + round(w * (1 - fraction)), top + round(h * (1 - fraction)))
    return _jpeg(image.crop(box), target, rng, **_exif_or_none(exif, rng))


def _png(image, exif, rng, target):
    image.save(target.with_suffix(".png"), "PNG", **_exif_or_none(exif, rng))
    return target.with_suffix(".png")


def _webp(image, exif, rng, target):
    image.save(target.with_suffix(".webp"), "WEBP", quality=rng.choice([75, 80, 90]), **_exif_or_none(exif, rng))
    return target.with_suffix(".webp")


def _heic(image, exif, rng, target):
    image.save(target.with_suffix(".heic"), "HEIF", quality=rng.choice([75, 85, 90]), **_exif_or_none(exif, rng))
    return target.with_suffix(".heic")


def _brightness(image, exif, rng, target):
    edited = ImageEnhance.Brightness(image).enhance(rng.choice([0.75, 1.25]))
    return _jpeg(edited, target, rng, **_exif_or_none(exif, rng))


def _contrast(image, exif, rng, target):
    edited = ImageEnhance.Contrast(image).enhance(rng.choice([0.75, 1.25]))
    return _jpeg(edited, target, rng, **_exif_or_none(exif, rng))


def _rotated_exif(image, exif, rng, target):
    turn, orientation = rng.choice(
        [(Image.Transpose.ROTATE_90, 6), (Image.Transpose.ROTATE_180, 3), (Image.Transpose.ROTATE_270, 8)]
    )
    tags = Image.Exif()
    if exif:
        tags.load(exif)
    tags[0x0112] = orientation
    return _jpeg(image.transpose(turn), target, rng, exif=tags.tobytes())


NEAR_KINDS: dict[str, CopyMaker] = {
    "recompressed": _recompress, "stripped": _stripped, "resize50": _resize50, "w320": _w320, "crop": _crop,
    "png": _png, "webp": _webp, "heic": _heic, "brightness": _brightness, "contrast": _contrast,
    "rotated_exif": _rotated_exif,
}  # fmt: skip
EXACT_KINDS = ("exact_copies", "exact_backup", "exact_numbered")
NEAR_FOLDERS = ("exports", "edited", "from phone", "WhatsApp Images", "shared", "Converted", "")


def _exact_target(kind: str, original: Path, root: Path, rng: random.Random) -> Path:
    stem, suffix = original.stem, original.suffix
    if kind == "exact_copies":
        return root / rng.choice(["Copies", "Photos copy", "dup"]) / original.name
    if kind == "exact_backup":
        return root / rng.choice(["backup", "Backups", "old backup"]) / original.parent.name / original.name
    return original.with_name(rng.choice([f"{stem} (1){suffix}", f"{stem} - Copy{suffix}", f"{stem} copy{suffix}"]))


def _stored_image(path: Path) -> tuple[Image.Image, bytes | None, int | None]:
    """The pixels as stored (what ``Image.open`` + ``save`` copies), the raw EXIF, the orientation."""
    from core.media.decode import register_heif

    register_heif()
    with Image.open(path) as image:
        exif = image.info.get("exif")
        orientation = image.getexif().get(0x0112) if image.format != "HEIF" else None
        return image.convert("RGB"), exif, orientation


def make_set(root: Path, seed: int, count: int, sources: list[Path]) -> list[tuple[Path, dict[Path, str]]]:
    """Write ``count`` groups under ``root``: per group its original and {copy path: kind}."""
    rng = random.Random(seed)
    corpus = rng.sample(sources, k=min(len(sources), count // 4))
    groups = []
    base_time = 1_500_000_000
    for index in range(count):
        if index < len(corpus):
            source = corpus[index]
            day = _shot_date(source)
            original = root / "Pictures" / day / f"{seed}_{source.name}"
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, original)
        else:
            original = _generated(root, seed, index, rng)
            day = original.parent.name
        mtime = base_time + index * 86_400
        os.utime(original, (mtime, mtime))
        image, exif, orientation = _stored_image(original)
        kinds = _pick_kinds(rng, image, original, orientation)
        copies = {}
        for number, kind in enumerate(kinds):
            if kind in EXACT_KINDS:
                target = _exact_target(kind, original, root, rng)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(original, target)
            else:
                folder = root / rng.choice(NEAR_FOLDERS)
                target = folder / f"{original.stem}_{number}{kind[:2]}"
                target.parent.mkdir(parents=True, exist_ok=True)
                target = NEAR_KINDS[kind](image, exif, rng, target)
            # Copies are made later than the original; a third of them carry an older file time
            # (a restore from backup, a tool that sets times, a clock that was wrong).
            when = mtime + rng.randint(60, 10**7) * (-1 if rng.random() < 0.33 else 1)
            os.utime(target, (when, when))
            copies[target] = kind
        groups.append((original, copies))
    return groups


def _pick_kinds(rng: random.Random, image: Image.Image, original: Path, orientation: int | None) -> list[str]:
    kinds = [*NEAR_KINDS, *EXACT_KINDS]
    if orientation not in (None, 1):
        kinds.remove("rotated_exif")  # pixels already shown turned: a second turn is another photo
    if image.width <= 400:
        kinds.remove("w320")  # nobody makes a 320-px copy of a smaller photo
    if original.suffix.lower() in (".heic", ".heif"):
        kinds.remove("heic")
    return rng.sample(kinds, k=rng.randint(1, 5))


def _generated(root: Path, seed: int, index: int, rng: random.Random) -> Path:
    """A generated photo, three of a day with one camera in a day folder (its siblings)."""
    day_number = index // 3
    make, model = MAKES[(seed * 7 + day_number) % len(MAKES)]
    day = f"2019-{1 + day_number % 12:02d}-{1 + (seed + day_number) % 28:02d}"
    shot = Shot(taken_at=f"{day.replace('-', ':')} {10 + index % 3}:{rng.randint(10, 59)}:00", make=make, model=model,
                gps=(rng.uniform(-60, 60), rng.uniform(-150, 150)) if rng.random() < 0.5 else None)  # fmt: skip
    width = rng.choice([800, 960, 1024, 1200])
    image = landscape(width, width * 3 // 4, seed * 10_000 + index)
    path = root / "Pictures" / day / f"IMG_{seed:02d}{index:04d}.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=rng.choice([88, 90, 92, 95, 97]), exif=exif_for(shot).tobytes())
    return path


# --- scoring ------------------------------------------------------------------------------


def score_groups(
    name: str, found: list[DuplicateGroup], truth: list[tuple[str, dict[str, str]]], sha_of: dict[str, str]
) -> KeeperReport:
    """Compare each labelled group's found group's keeper (new and old chains) with its original."""
    report = KeeperReport(name)
    by_path = {p.path: g for g in found for p in g.photos}
    old_rules = parse_rules(OLD_DEFAULT)
    for original, copies in truth:
        group = by_path.get(original)
        if group is None:
            report.not_found += 1
            continue
        members = {p.path for p in group.photos}
        kinds = sorted({copies[p] for p in members if p in copies})
        if not kinds:
            report.not_found += 1
            continue
        baseline = choose_keeper(group.photos, old_rules, KeeperContext()).photo
        right = sha_of[group.keeper.path] == sha_of[original]
        base_right = sha_of[baseline.path] == sha_of[original]
        report.groups += 1
        report.right += right
        report.baseline_right += base_right
        report.confident += group.confident
        report.confident_right += group.confident and right
        for kind in kinds:
            entry = report.per_kind[kind]
            entry[0] += 1
            entry[1] += right
            entry[2] += base_right
        if not right:
            wrong_kind = copies.get(group.keeper.path, "?")
            report.wrong_keepers[wrong_kind] += 1
            report.mistakes.append(f"{Path(original).name}: kept the {wrong_kind} copy ({group.keeper_reason})")
    return report


def _index_and_find(
    root: Path, library_dir: Path, workers: int
) -> tuple[list[DuplicateGroup], dict[str, str], tuple[int, float, float, float]]:
    """Index ``root``, find its groups; and time building those groups with and without signals."""
    from core.catalog.roots import add_root
    from core.duplicates.finder import build_groups, find_groups, load_thumbnail, reference_root_ids
    from core.duplicates.signals import SignalReader
    from core.indexing.indexer import index_library
    from core.library import Library

    with Library.open(library_dir) as library:
        add_root(library.db, str(root))
        index_library(library, workers=workers)
        groups = find_groups(library)
        sha_of = {row[0]: row[1] for row in library.db.query("SELECT path, sha256 FROM photos")}
        components = [sorted(g.photo_ids) for g in groups]
        rules, references = parse_rules(None), reference_root_ids(library.db)
        with library.db.transaction() as conn:  # time a first run: nothing cached yet
            conn.execute("DELETE FROM duplicate_signals")
        timings = []
        for signals in (
            SignalReader(library.db, load_thumbnail(library)),
            SignalReader(library.db, load_thumbnail(library)),
            None,
        ):
            started = time.perf_counter()
            build_groups(library.db, components, [], rules, references, signals)
            timings.append(time.perf_counter() - started)
    return groups, sha_of, (sum(map(len, components)), *timings)


def _scored(name: str, found, truth, sha_of, timing: tuple[int, float, float, float]) -> KeeperReport:
    report = score_groups(name, found, truth, sha_of)
    report.members, report.signals_seconds, report.cached_seconds, report.plain_seconds = timing
    return report


def evaluate(seed: int = 1, groups: int = 150, workers: int = 2, workdir: Path | None = None) -> KeeperReport:
    """Generate the evaluation set for ``seed``, index it, find groups, score the keepers."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp) / "photos"
        truth = make_set(root, seed, groups, corpus_sources())
        found, sha_of, timing = _index_and_find(root, Path(tmp) / "library", workers)
        labelled = [(str(o), {str(p): k for p, k in c.items()}) for o, c in truth]
        return _scored(f"generated set, seed {seed} ({groups} groups)", found, labelled, sha_of, timing)


def corpus_keeper_accuracy(corpus: Path = CORPUS, workers: int = 2) -> KeeperReport:
    """Keeper accuracy on the corpus' labelled groups whose original is named (``dups/`` groups)."""
    members: dict[str, list[str]] = defaultdict(list)
    for line in (corpus / "dup_groups.tsv").read_text().splitlines()[1:]:
        path, group = line.split("\t")
        members[group].append(path)
    truth = []
    for paths in members.values():
        originals = [p for p in paths if p.startswith("exif-samples/")]
        copies = [p for p in paths if p.startswith("dups/")]
        if len(originals) == 1 and copies:
            kinds = {str(corpus / p): Path(p).stem.split("__")[-1] for p in copies}
            truth.append((str(corpus / originals[0]), kinds))
    with tempfile.TemporaryDirectory() as tmp:
        found, sha_of, timing = _index_and_find(corpus, Path(tmp) / "library", workers)
    return _scored(f"corpus dups ({len(truth)} groups with a named original)", found, truth, sha_of, timing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1, help="development seed")
    parser.add_argument("--holdout", type=int, nargs="*", default=[2], help="held-out seeds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for seed in [args.seed, *args.holdout]:
        started = time.perf_counter()
        report = evaluate(seed, args.groups, args.workers)
        print("\n".join(report.lines()) + f"\n  ({time.perf_counter() - started:.0f} s)")
    if not args.no_corpus:
        print("\n".join(corpus_keeper_accuracy(workers=args.workers).lines()))


if __name__ == "__main__":
    main()
