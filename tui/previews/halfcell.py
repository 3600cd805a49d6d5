"""Coloured half-block rendering (``▀``: foreground = upper pixel, background = lower).

This is the picture every terminal can show, over SSH and inside tmux too. It gives two
vertical pixels per cell, which with the usual 1:2 cell shape makes square pixels. The
functions here run in worker threads: they only build immutable Rich segments.

The cells are made by rich-pixels (the library the design names for inline pixel
previews), through a renderer that draws ``▀`` as Shoebox always has, so screens look
exactly as before. ``python bench/preview_bench.py`` compared it with Shoebox's own loop
(kept in the bench as the baseline) on a full 200×60 screen of tiles, median of 7 on a
loaded 2-CPU machine, ms per screen (rich-pixels / own loop):
10×5 tiles (180): 188 / 252, 20×10 (45): 164 / 216, 28×14 (24): 157 / 228, one 200×56
photo: 258 / 238 — rich-pixels is not slower (its styles are parsed once per colour for the
whole process, where the own loop built one per colour per picture), so it is used.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image
from rich.segment import Segment
from rich.style import Style
from rich_pixels import HalfcellRenderer, Pixels
from textual.strip import Strip

UPPER_HALF = "▀"


class UpperHalfRenderer(HalfcellRenderer):
    """rich-pixels' half-cell renderer drawing ``▀`` (upper pixel in front) instead of ``▄``."""

    def _render_halfcell(self, *, x: int, y: int, get_pixel) -> Segment:  # type: ignore[no-untyped-def, override]
        upper, lower = get_pixel((x, y)), get_pixel((x, y + 1))
        return Segment(
            UPPER_HALF, _style(f"rgb({upper[0]},{upper[1]},{upper[2]}) on rgb({lower[0]},{lower[1]},{lower[2]})")
        )


@lru_cache(maxsize=16384)
def _style(definition: str) -> Style:
    """A cell's style, parsed once per colour pair for the process (a photo has more than Rich's own cache holds)."""
    return Style.parse(definition)


_RENDERER = UpperHalfRenderer()


def fit_size(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """The largest size with the aspect of ``width``×``height`` inside the box (at least 1×1)."""
    if width <= 0 or height <= 0:
        return box_width, box_height
    scale = min(box_width / width, box_height / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def fitted_canvas(image: Image.Image, columns: int, rows: int, background: tuple[int, int, int]) -> Image.Image:
    """``image`` fitted (aspect kept, centred) on a ``columns``×``2·rows`` pixel canvas."""
    pixel_w, pixel_h = fit_size(image.width, image.height, columns, rows * 2)
    small = image.convert("RGB").resize((pixel_w, pixel_h), Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", (columns, rows * 2), background)
    canvas.paste(small, ((columns - pixel_w) // 2, ((rows * 2 - pixel_h) // 2) & ~1))
    return canvas


def image_to_strips(
    image: Image.Image, columns: int, rows: int, background: tuple[int, int, int] = (0, 0, 0)
) -> list[Strip]:
    """``image`` fitted (aspect kept, centred) into ``columns``×``rows`` cells of half-blocks."""
    canvas = fitted_canvas(image, columns, rows, background)
    segments = Pixels.from_image(canvas, renderer=_RENDERER)._segments
    lines = Segment.split_lines(segments.segments if segments is not None else [])
    return [Strip(line, columns).simplify() for line in lines][:rows]
