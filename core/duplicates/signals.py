"""What tells a camera original from the copies people and tools make of it.

Read when a duplicate group is built (groups are small; a JPEG header read is about a
millisecond, a thumbnail's tone another), never at index time:

- :class:`FileSignals` from the file's header: the camera's MakerNote, the ``Software`` tag,
  how many EXIF fields it carries, an ICC profile, the pixel size EXIF records, whether the
  JPEG is laid out as cameras write it (the Exif segment first, no JFIF header before it —
  libjpeg-based tools such as Pillow, GIMP and ImageMagick write JFIF first) and the JPEG
  quality estimated from the luminance quantisation table.
- the tone of the cached thumbnail (mean and spread of its luminance): an edit (brighter,
  more contrast) is farther from the rest of its group than the original is.
- where the file lives: a ``copy``/``dup``/``backup``/``(1)``-style folder or name, and how
  many photos of the same day and camera sit beside it (the original's folder holds its
  siblings; a folder of copies seldom does).
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields

from core.catalog.db import Database
from core.catalog.records import Photo

#: ``Software`` values written by editors and converters, not by a camera's firmware.
EDITOR_SOFTWARE = re.compile(
    r"photoshop|lightroom|gimp|pillow|imagemagick|graphicsmagick|paint\.net|snapseed|picasa|"
    r"affinity|darktable|rawtherapee|capture one|luminar|pixelmator|acdsee|irfanview|xnview|"
    r"photos? \d|windows photo|fotor|canva|preview|digikam|shotwell|exiftool|photoscape|"
    r"skylum|on1|dxo|polarr|vsco|facetune|instagram|whatsapp",
    re.IGNORECASE,
)
#: Folder or file names that say "a copy": ``Copies``, ``dup``, ``backup``, ``IMG (1).jpg``, ``x - Copy.jpg``.
COPY_NAME = re.compile(
    r"(^|[\s_.\-])(copy|copies|copied|dups?|duplicates?|backups?|bak|kopie|copia|sauvegarde)(\s*\d+)?($|[\s_.\-])"
    r"|\(\d+\)$|~\d+$",
    re.IGNORECASE,
)
#: IFD0 tags that say how to show or who last saved a file, not what the camera recorded:
#: tools add or change them (an Orientation tag on rotated pixels, Software, DateTime).
NOT_CAPTURE_TAGS = frozenset({0x000B, 0x0112, 0x0131, 0x0132, 0x011A, 0x011B, 0x0128, 0x0213, 0x8769, 0x8825})
#: The sum of the IJG (libjpeg) standard luminance table (quality 50): the
#: reference for estimating a JPEG's quality from its own table.
_IJG_LUMA_SUM = 3688  # sum of the 64 entries of Annex K table K.1


@dataclass(frozen=True, slots=True)
class FileSignals:
    """What a file's header says about where it came from (``None``: not known)."""

    makernote: bool = False
    software: str | None = None
    exif_fields: int = 0
    icc: bool = False
    exif_size: tuple[int, int] | None = None  # PixelXDimension × PixelYDimension
    stored_size: tuple[int, int] | None = None
    upright_decoded: bool = False  # HEIF: the decoder applied the container's rotation to stored_size
    camera_layout: bool | None = None  # JPEG only: Exif first, no JFIF before it
    quality: int | None = None  # JPEG only: estimated IJG quality 1..100

    @property
    def edited_by(self) -> str | None:
        """The editor named in ``Software``, if that is an editor's name."""
        return self.software if self.software and EDITOR_SOFTWARE.search(self.software) else None

    @property
    def exif_size_matches(self) -> bool:
        """EXIF's recorded pixel size is the file's own (resizes, crops and rotations keep the old one)."""
        if self.exif_size is None or self.stored_size is None:
            return False
        if self.upright_decoded:
            return sorted(self.exif_size) == sorted(self.stored_size)
        return self.exif_size == self.stored_size


@dataclass(frozen=True, slots=True)
class PhotoSignals:
    """Everything the keeper rules know about one member of a group."""

    file: FileSignals = field(default_factory=FileSignals)
    tone: tuple[float, float] | None = None  # thumbnail luminance mean and standard deviation
    copy_like: bool = False
    siblings: int = 0  # photos of the same day and camera in the same folder (itself included)


def read_file_signals(path: str) -> FileSignals:
    """The header signals of one file; empty when it cannot be opened."""
    from PIL import Image

    from core.media.decode import register_heif

    register_heif()
    try:
        with Image.open(path) as image:
            exif = _header_exif(image)
            sub = exif.get_ifd(0x8769)
            size = sub.get(0xA002), sub.get(0xA003)
            exif_size = (int(size[0]), int(size[1])) if all(isinstance(v, int) for v in size) else None
            software = exif.get(0x0131)
            return FileSignals(
                makernote=bool(sub.get(0x927C)),
                software=str(software).strip("\x00 ") or None if software else None,
                exif_fields=sum(1 for tag in exif if tag not in NOT_CAPTURE_TAGS)
                + len(sub)
                + len(exif.get_ifd(0x8825)),
                icc=bool(image.info.get("icc_profile")),
                exif_size=exif_size,
                stored_size=tuple(image.size),  # type: ignore[arg-type]
                upright_decoded=image.format in ("HEIF", "AVIF"),
                camera_layout=_camera_layout(image) if image.format == "JPEG" else None,
                quality=_jpeg_quality(image) if image.format == "JPEG" else None,
            )
    except Exception:  # noqa: BLE001 — a file Pillow cannot read has no signals, never an error here
        return FileSignals()


def _header_exif(image: object) -> object:
    """The EXIF a header holds, without decoding pixels (Pillow's PNG ``getexif`` loads the image
    when the ``eXIf`` chunk is not ahead of the pixels)."""
    from PIL import Image

    if getattr(image, "format", None) != "PNG":
        return image.getexif()  # type: ignore[attr-defined]
    exif = Image.Exif()
    raw = image.info.get("exif")  # type: ignore[attr-defined]
    if raw:
        exif.load(raw)
    return exif


def _camera_layout(image: object) -> bool:
    """Cameras start a JPEG with the Exif segment (DCF); libjpeg-based tools start it with JFIF."""
    markers = [marker for marker, _ in getattr(image, "applist", [])]
    if "APP0" not in markers:
        return "APP1" in markers
    return "APP1" in markers and markers.index("APP1") < markers.index("APP0")


def _jpeg_quality(image: object) -> int | None:
    """The IJG quality whose scaled standard luminance table is nearest this file's (1..100)."""
    tables = getattr(image, "quantization", None)
    if not tables:
        return None
    luma = tables.get(0) or next(iter(tables.values()))
    scale = 100.0 * sum(luma) / _IJG_LUMA_SUM  # percent of the quality-50 table
    quality = (200.0 - scale) / 2.0 if scale <= 100 else 5000.0 / scale
    return max(1, min(100, round(quality)))


def is_copy_like(path: str, root: str | None = None) -> bool:
    """Whether the file's name or a folder below its root says it is a copy."""
    relative = os.path.relpath(path, root) if root and path.startswith(root) else path
    parts = relative.split(os.sep)
    stem = os.path.splitext(parts[-1])[0]
    return any(COPY_NAME.search(part) for part in [*parts[:-1], stem] if part)


def tone_of(image: object) -> tuple[float, float]:
    """Mean and standard deviation of an image's luminance (0..255)."""
    from PIL import ImageStat

    stat = ImageStat.Stat(image.convert("L"))  # type: ignore[attr-defined]
    return float(stat.mean[0]), float(stat.stddev[0])


def edit_distances(tones: dict[int, tuple[float, float] | None]) -> dict[int, float]:
    """Per photo id: how far its tone is from the group's median tone (levels; 0 when unknown).

    Needs three or more known tones: with two, each is as far from their middle as the other.
    """
    known = {pid: t for pid, t in tones.items() if t is not None}
    if len(known) < 3:
        return {pid: 0.0 for pid in tones}
    mean = statistics.median(t[0] for t in known.values())
    spread = statistics.median(t[1] for t in known.values())
    return {pid: (abs(t[0] - mean) + abs(t[1] - spread)) if t is not None else 0.0 for pid, t in tones.items()}


#: The version of what :class:`SignalReader` stores per content; bump it when a signal changes.
SIGNALS_VERSION = 1


def _file_to_json(file: FileSignals) -> dict[str, object]:
    return {f.name: getattr(file, f.name) for f in fields(FileSignals)}


def _file_from_json(data: dict) -> FileSignals:
    values = {f.name: data.get(f.name) for f in fields(FileSignals)}
    for name in ("exif_size", "stored_size"):
        values[name] = tuple(values[name]) if values[name] else None
    for name in ("makernote", "icc", "upright_decoded"):
        values[name] = bool(values[name])
    values["exif_fields"] = int(values["exif_fields"] or 0)
    return FileSignals(**values)


class SignalReader:
    """Reads members' signals for keeper rules, each content once: from the catalog's cache
    (``duplicate_signals``, :meth:`preload`) or its file and thumbnail, stored by :meth:`flush`."""

    def __init__(
        self,
        db: Database | None = None,
        thumbnail: Callable[[Photo], object] | None = None,
        root_paths: dict[int, str] | None = None,
    ) -> None:
        self._db = db
        self._thumbnail = thumbnail
        self._roots = root_paths if root_paths is not None else _root_paths(db)
        self._files: dict[str, FileSignals] = {}
        self._tones: dict[str, tuple[float, float] | None] = {}
        self._fresh: set[str] = set()  # contents read from their files this run, not stored yet
        self._reencoded: dict[str, dict[str, bool]] = {}  # finer sha → {coarser sha: re-encode of it?}
        self._folders: dict[str | None, dict[tuple[str, str, str], int]] = {}  # folder → (day, make, model) → photos

    def preload(self, photos: Iterable[Photo]) -> None:
        """Take what the catalog already knows of these photos' contents (one query per 500)."""
        if self._db is None:
            return
        from core.duplicates.store import cached_signals

        for sha, data in cached_signals(self._db, {p.sha256 for p in photos}, SIGNALS_VERSION).items():
            self._files[sha] = _file_from_json(data["file"])
            if "tone" in data:
                self._tones[sha] = tuple(data["tone"]) if data["tone"] else None  # type: ignore[assignment]
            if "reencoded_from" in data:
                self._reencoded[sha] = {k: bool(v) for k, v in data["reencoded_from"].items()}

    def flush(self) -> None:
        """Store the signals read from files this run, so the next one need not open them."""
        if self._db is None or not self._fresh:
            return
        from core.duplicates.store import store_signals

        rows: dict[str, dict] = {}
        for sha in self._fresh:
            row: dict[str, object] = {"file": _file_to_json(self._files[sha])}
            if sha in self._tones:
                row["tone"] = self._tones[sha]
            if sha in self._reencoded:
                row["reencoded_from"] = self._reencoded[sha]
            rows[sha] = row
        store_signals(self._db, rows, SIGNALS_VERSION)
        self._fresh.clear()

    def read(self, photos: Sequence[Photo]) -> dict[int, PhotoSignals]:
        """Signals of a group's members, by photo id."""
        near = len({p.sha256 for p in photos}) > 1
        return {
            p.id: PhotoSignals(
                file=self._file(p),
                tone=self._tone(p) if near else None,
                copy_like=is_copy_like(p.path, self._roots.get(p.root_id or -1)),
                siblings=self._siblings(p),
            )
            for p in photos
        }

    def reencodes(self, photos: Sequence[Photo], signals: dict[int, PhotoSignals]) -> frozenset[int]:
        """Those of ``photos`` that are a higher-quality re-encode of another of them (same pixel size).

        Decodes the JPEGs concerned (about 0.1–0.3 s each; each pair's answer is kept with the
        other signals): call it only when the JPEG quality is about to decide.
        """
        found, decoded = set(), {}  # decoded coefficients (~8 MB a photo) live for this call only
        jpegs = [p for p in photos if signals[p.id].file.quality is not None]
        for finer in jpegs:
            for coarser in jpegs:
                a, b = signals[finer.id].file, signals[coarser.id].file
                if (
                    a.stored_size != b.stored_size
                    or (a.quality or 0) <= (b.quality or 0)
                    or finer.sha256 == coarser.sha256
                ):
                    continue
                known = self._reencoded.setdefault(finer.sha256, {})
                if coarser.sha256 not in known:
                    known[coarser.sha256] = reencoded_from(finer.fs_path, coarser.fs_path, decoded)
                    self._fresh.add(finer.sha256)
                if known[coarser.sha256]:
                    found.add(finer.id)
                    break
        return frozenset(found)

    def _file(self, photo: Photo) -> FileSignals:
        if photo.sha256 not in self._files:
            self._files[photo.sha256] = read_file_signals(photo.fs_path)
            self._fresh.add(photo.sha256)
        return self._files[photo.sha256]

    def _tone(self, photo: Photo) -> tuple[float, float] | None:
        if self._thumbnail is None:
            return None
        if photo.sha256 not in self._tones:
            try:
                image = self._thumbnail(photo)
            except OSError:
                image = None
            self._tones[photo.sha256] = tone_of(image) if image is not None else None
            self._fresh.add(photo.sha256)
        return self._tones[photo.sha256]

    def _siblings(self, photo: Photo) -> int:
        """Present photos in the same folder taken the same day with the same camera.

        Counted for a whole folder at once and kept: one query per folder, not one scan
        of the folder per member (a 10,000-photo folder made that quadratic).
        """
        if self._db is None:
            return 0
        if photo.folder not in self._folders:
            self._folders[photo.folder] = {
                (row[0], row[1], row[2]): int(row[3])
                for row in self._db.query(
                    "SELECT coalesce(substr(taken_at, 1, 10), ''), coalesce(make, ''), coalesce(model, ''), count(*)"
                    " FROM photos WHERE folder = ? AND status = 'present' GROUP BY 1, 2, 3",
                    (photo.folder,),
                )
            }
        return self._folders[photo.folder].get(((photo.taken_at or "")[:10], photo.make or "", photo.model or ""), 0)


def _root_paths(db: Database | None) -> dict[int, str]:
    if db is None:
        return {}
    return {int(row[0]): str(row[1]) for row in db.query("SELECT id, path FROM roots")}


def read_signals(photos: Iterable[Photo]) -> dict[int, PhotoSignals]:
    """Signals from the files alone (no catalog, no thumbnails): for tests and tools."""
    return SignalReader(root_paths={}).read(list(photos))


# --- re-encodes: a JPEG made from another keeps that one's quantisation in its coefficients ---

#: Lattice agreement (mean cosine of the residual phase) above which a file is a re-encode of
#: another. Measured (bench/keeper_eval.py's generator, Pillow): a re-encode 5+ quality steps
#: above its source scores 0.75–0.8, an original against a re-encode of it below 0.3; between
#: close qualities (88→90) the two lattices nearly coincide and the test cannot tell (≈0.3 both).
REENCODE_LATTICE = 0.5
_MAX_SIDE = 1024  # coefficients from at most the central 1024×1024 pixels (block-aligned)


def luma_coefficients(path: str) -> tuple[object, list[int]] | None:
    """The 8×8 DCT coefficients of a JPEG's decoded luminance (blocks × 64, natural order) and
    its luminance quantisation table (natural order); None when it is not a readable JPEG."""
    import numpy as np
    from PIL import Image

    try:
        with Image.open(path) as image:
            tables = getattr(image, "quantization", None)
            if image.format != "JPEG" or not tables:
                return None
            table = list(tables.get(0) or next(iter(tables.values())))  # natural (row-major) order
            luma = np.asarray(image.convert("L"), dtype=np.float32)
    except Exception:  # noqa: BLE001 — unreadable: no evidence
        return None
    height, width = (luma.shape[0] // 8) * 8, (luma.shape[1] // 8) * 8
    top = max(0, (height - _MAX_SIDE) // 16 * 8)
    left = max(0, (width - _MAX_SIDE) // 16 * 8)
    region = luma[top : top + min(height, _MAX_SIDE), left : left + min(width, _MAX_SIDE)] - 128.0
    rows, cols = region.shape[0] // 8, region.shape[1] // 8
    blocks = region.reshape(rows, 8, cols, 8).transpose(0, 2, 1, 3).reshape(-1, 8, 8)
    basis = _dct_basis()
    coefficients = (basis @ blocks @ basis.T).reshape(-1, 64)  # batched matmul: far faster than einsum
    return coefficients, table


def _dct_basis() -> object:
    import numpy as np

    k = np.arange(8)
    basis = np.cos((2 * k[None, :] + 1) * k[:, None] * np.pi / 16) * np.sqrt(2 / 8)
    basis[0] /= np.sqrt(2)
    return basis.astype(np.float32)


def lattice_agreement(coefficients: object, table: Sequence[int]) -> float:
    """How closely coefficients sit on multiples of ``table`` (1: exactly, about 0: not at all).

    Only coefficients whose step is 4 or more and whose value is at least half a step count:
    zeros sit on every lattice, and fine steps drown in the decoder's rounding.
    """
    import numpy as np

    values = np.asarray(coefficients)
    steps = np.asarray(table, dtype=np.float64)
    usable = steps >= 4
    if not usable.any():
        return 0.0
    ratio = values[:, usable] / steps[usable]
    strong = np.abs(ratio) >= 0.5
    if strong.sum() < 200:
        return 0.0
    return float(np.cos(2 * np.pi * ratio[strong]).mean())


def reencoded_from(finer: str, coarser: str, cache: dict[str, object] | None = None) -> bool:
    """Whether the JPEG ``finer`` (the higher quality) was made from ``coarser``'s pixels: its
    coefficients sit on ``coarser``'s quantisation lattice, which an original's do not."""
    cache = {} if cache is None else cache
    for path in (finer, coarser):
        if path not in cache:
            cache[path] = luma_coefficients(path)
    fine, coarse = cache[finer], cache[coarser]
    if fine is None or coarse is None or fine[0].shape != coarse[0].shape:  # type: ignore[index,union-attr]
        return False
    return lattice_agreement(fine[0], coarse[1]) > REENCODE_LATTICE  # type: ignore[index]
