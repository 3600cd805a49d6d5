"""Generated photographs for duplicate tests: one scene, its copies, and burst frames."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance

from core.demo.pictures import Shot, exif_for, landscape


def scene(seed: int, width: int = 640, height: int = 480) -> Image.Image:
    """A landscape with houses and trees: detail everywhere, like a real photo."""
    img = landscape(width, height, seed)
    draw = ImageDraw.Draw(img)
    rng = random.Random(seed)
    for _ in range(14):
        x, y = rng.randint(0, width - 60), rng.randint(height // 3, height - 60)
        w, h = rng.randint(20, 70), rng.randint(20, 70)
        colour = tuple(rng.randint(30, 230) for _ in range(3))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=colour, outline=(20, 20, 20))
            draw.polygon([(x - 4, y), (x + w // 2, y - h // 2), (x + w + 4, y)], fill=(150, 40, 30))
        else:
            draw.ellipse((x, y, x + w, y + h * 1.5), fill=(30, 90 + rng.randint(0, 80), 40))
    return img


def with_subject(image: Image.Image, where: float) -> Image.Image:
    """The image with a person-sized figure standing at ``where`` (0..1 across)."""
    img = image.copy()
    draw = ImageDraw.Draw(img)
    w, h = img.size
    x, y = int(w * where), int(h * 0.45)
    draw.ellipse((x, y, x + w // 9, y + h // 4), fill=(200, 50, 40))
    draw.ellipse((x + w // 36, y - h // 10, x + w // 12, y), fill=(235, 190, 160))
    return img


def burst(seed: int) -> tuple[Image.Image, Image.Image]:
    """Two frames a second apart: the camera moved a little and so did the subject."""
    base = scene(seed, 680, 510)
    first = with_subject(base, 0.30).crop((20, 15, 660, 495))
    second = with_subject(base, 0.40).crop((26, 19, 666, 499))
    return first, ImageEnhance.Brightness(second).enhance(1.02)


def cropped(image: Image.Image, fraction: float) -> Image.Image:
    """The centre ``fraction`` of the image."""
    w, h = image.size
    dx, dy = round(w * (1 - fraction) / 2), round(h * (1 - fraction) / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def save(image: Image.Image, path: Path, shot: Shot = Shot(), *, quality: int = 90) -> Path:
    """Write ``image`` as JPEG/PNG/WebP (by extension) with the shot's EXIF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = {".png": "PNG", ".webp": "WEBP"}.get(path.suffix.lower(), "JPEG")
    options: dict[str, object] = {"exif": exif_for(shot).tobytes()}
    if fmt != "PNG":
        options["quality"] = quality
    image.save(path, fmt, **options)
    return path
