"""Coloured half-block rendering (``▀``: foreground = upper pixel, background = lower).

This is the picture every terminal can show, over SSH and inside tmux too. It gives two
vertical pixels per cell, which with the usual 1:2 cell shape makes square pixels. The
functions here run in worker threads: they only build immutable Rich segments.
"""

from __future__ import annotations

from PIL import Image
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

UPPER_HALF = "▀"


def fit_size(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """The largest size with the aspect of ``width``×``height`` inside the box (at least 1×1)."""
    if width <= 0 or height <= 0:
        return box_width, box_height
    scale = min(box_width / width, box_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def image_to_strips(
    image: Image.Image, columns: int, rows: int, background: tuple[int, int, int] = (0, 0, 0)
) -> list[Strip]:
    """``image`` fitted (aspect kept, centred) into ``columns``×``rows`` cells of half-blocks."""
    pixel_w, pixel_h = fit_size(image.width, image.height, columns, rows * 2)
    small = image.convert("RGB").resize((pixel_w, pixel_h), Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", (columns, rows * 2), background)
    canvas.paste(small, ((columns - pixel_w) // 2, ((rows * 2 - pixel_h) // 2) & ~1))
    pixels = canvas.tobytes()
    styles: dict[tuple[int, ...], Style] = {}
    strips: list[Strip] = []
    stride = columns * 3
    for row in range(rows):
        upper = pixels[2 * row * stride : (2 * row + 1) * stride]
        lower = pixels[(2 * row + 1) * stride : (2 * row + 2) * stride]
        segments = []
        for x in range(0, stride, 3):
            key = (*upper[x : x + 3], *lower[x : x + 3])
            style = styles.get(key)
            if style is None:
                style = styles[key] = Style(
                    color=Color.from_rgb(key[0], key[1], key[2]), bgcolor=Color.from_rgb(key[3], key[4], key[5])
                )
            segments.append(Segment(UPPER_HALF, style))
        strips.append(Strip(segments, columns).simplify())
    return strips
