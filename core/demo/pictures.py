"""Procedural photographs (sky, sun, hills, texture) with real EXIF, made with Pillow.

They look like landscapes rather than noise, so thumbnails in the demo are pleasant,
and they compress like camera JPEGs, so benchmarks measure realistic work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

PALETTES = (
    ((40, 90, 170), (250, 180, 120), (40, 110, 60)),  # summer evening
    ((120, 180, 230), (255, 250, 220), (70, 140, 70)),  # bright day
    ((20, 25, 60), (240, 230, 200), (30, 40, 50)),  # night
    ((200, 120, 80), (255, 220, 150), (120, 80, 50)),  # desert
    ((180, 200, 220), (255, 255, 255), (220, 225, 235)),  # snow
    ((60, 130, 180), (255, 240, 200), (30, 90, 140)),  # sea
)


@dataclass(frozen=True, slots=True)
class Shot:
    """What a generated photo claims about itself in its EXIF."""

    taken_at: str | None = None  # "YYYY:MM:DD HH:MM:SS"
    make: str | None = None
    model: str | None = None
    gps: tuple[float, float] | None = None
    orientation: int | None = None


def landscape(width: int, height: int, seed: int, *, texture: bool = True) -> Image.Image:
    """A plausible landscape: gradient sky, a sun, layered hills and fine grain."""
    rng = random.Random(seed)
    sky, sun, ground = PALETTES[seed % len(PALETTES)]
    small_w, small_h = max(64, width // 8), max(48, height // 8)
    img = Image.new("RGB", (small_w, small_h))
    draw = ImageDraw.Draw(img)
    for y in range(small_h):
        t = y / small_h
        draw.line([(0, y), (small_w, y)], fill=tuple(int(s * (1 - t) + g * t * 0.6 + 60 * t) for s, g in zip(sky, sun)))
    r = rng.randint(small_h // 12, small_h // 6)
    cx, cy = rng.randint(r, small_w - r), rng.randint(r, small_h // 2)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=sun)
    for layer in range(3):
        base = small_h * (0.55 + 0.12 * layer)
        shade = tuple(max(0, int(c * (0.6 + 0.2 * layer))) for c in ground)
        points = [(0, small_h)]
        for x in range(0, small_w + 8, 8):
            points.append((x, base + rng.uniform(-small_h * 0.08, small_h * 0.08)))
        points.append((small_w, small_h))
        draw.polygon(points, fill=shade)
    img = img.filter(ImageFilter.GaussianBlur(1)).resize((width, height), Image.Resampling.BICUBIC)
    if texture:
        grain = Image.effect_noise((width, height), 24).convert("RGB")
        img = Image.blend(img, grain, 0.12)
    return img


def exif_for(shot: Shot) -> Image.Exif:
    """EXIF carrying the shot's date, camera, GPS and orientation."""
    exif = Image.Exif()
    if shot.make:
        exif[0x010F] = shot.make
    if shot.model:
        exif[0x0110] = shot.model
    if shot.orientation:
        exif[0x0112] = shot.orientation
    if shot.taken_at:
        exif.get_ifd(0x8769)[0x9003] = shot.taken_at
    if shot.gps:
        lat, lon = shot.gps
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2] = ("N" if lat >= 0 else "S"), _dms(abs(lat))
        gps[3], gps[4] = ("E" if lon >= 0 else "W"), _dms(abs(lon))
    return exif


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(10000)


def write_photo(path: Path, width: int, height: int, seed: int, shot: Shot = Shot(), *, quality: int = 88) -> Path:
    """Write one generated JPEG (or PNG/WebP by extension) with EXIF to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    img = landscape(width, height, seed)
    fmt = {".png": "PNG", ".webp": "WEBP"}.get(path.suffix.lower(), "JPEG")
    options: dict[str, object] = {"exif": exif_for(shot).tobytes()}
    if fmt != "PNG":
        options["quality"] = quality
    img.save(path, fmt, **options)
    return path
