"""Half-block previews: Shoebox's renderer against rich-pixels, on a full 200×60 grid of tiles.

    python bench/preview_bench.py [--size 200x60] [--repeat 7]

For every zoom level of the timeline grid, fills a ``--size`` screen with tiles (as
:class:`tui.widgets.timeline_grid.TimelineGrid` lays them out) and times turning the
decoded thumbnails (256 px JPEGs of generated scenes, decoded at the tile's size as the
grid does) into the lines the grid draws:

  * ``own loop``: Shoebox's half-block loop from before rich-pixels (kept here as the baseline),
  * ``rich-pixels``: :func:`tui.previews.halfcell.image_to_strips` — rich-pixels'
    ``Pixels.from_image`` with a ``▀`` half-cell renderer, what the grid, the photo view and
    the duplicate cards use now.

Decoding is the same for both and is not timed. Prints the median of ``--repeat`` runs per
screen, and the ratio (rich-pixels / own loop) measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCENES = 12


def scenes(directory: Path) -> list[Path]:
    """Thumbnail-sized JPEGs like the ones in a library's thumbnail cache."""
    from core.demo.pictures import landscape

    paths = []
    for seed in range(SCENES):
        path = directory / f"scene_{seed:02d}.jpg"
        landscape(256, 192, 900 + seed).save(path, quality=82)
        paths.append(path)
    return paths


def decode(path: Path, box: tuple[int, int]):
    """The thumbnail decoded at about ``box`` pixels, as :func:`tui.previews.thumbs.load_thumbnail` does."""
    from PIL import Image

    with Image.open(path) as image:
        image.draft("RGB", box)
        image.load()
        return image.convert("RGB")


def own_loop_strips(image, columns: int, rows: int, background: tuple[int, int, int]):
    """Shoebox's renderer before rich-pixels (kept here as the baseline): one Style per colour per picture."""
    from rich.color import Color
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from tui.previews.halfcell import fitted_canvas

    pixels = fitted_canvas(image, columns, rows, background).tobytes()
    styles: dict[tuple[int, ...], Style] = {}
    strips = []
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
            segments.append(Segment("▀", style))
        strips.append(Strip(segments, columns).simplify())
    return strips


def rich_pixels_strips(image, columns: int, rows: int, background: tuple[int, int, int]):
    """What the app uses now: :func:`tui.previews.halfcell.image_to_strips` (rich-pixels)."""
    from tui.previews.halfcell import image_to_strips

    return image_to_strips(image, columns, rows, background)


def tiles_on_screen(size: tuple[int, int], cell: tuple[int, int]) -> int:
    """How many tiles of ``cell`` the grid shows on a ``size`` screen (one column gap, one caption line)."""
    columns = max(1, (size[0] - 1) // (cell[0] + 1))
    rows = max(1, size[1] // (cell[1] + 1))
    return columns * rows


def time_screen(render, images: list, count: int, cell: tuple[int, int]) -> float:
    started = time.perf_counter()
    for i in range(count):
        render(images[i % len(images)], cell[0], cell[1], (30, 30, 30))
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="200x60", help="terminal size, COLSxROWS")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    try:
        import rich_pixels  # noqa: F401
    except ImportError:
        sys.exit("preview_bench: rich-pixels is not installed (pip install -e . installs the pinned version)")
    from tui.widgets.timeline_grid import ZOOM_LEVELS

    with tempfile.TemporaryDirectory() as tmp:
        paths = scenes(Path(tmp))
        print(f"preview_bench: a full {args.size} screen of tiles, median of {args.repeat} (ms per screen)")
        print(f"  {'tile (cells)':14} {'tiles':>6} {'own loop':>9} {'rich-pixels':>12} {'ratio':>7}")
        for cell in ZOOM_LEVELS:
            images = [decode(p, (cell[0], cell[1] * 2)) for p in paths]
            count = tiles_on_screen(size, cell)  # type: ignore[arg-type]
            ours, theirs = [], []
            for _ in range(args.repeat):  # interleaved, so machine load hits both alike
                ours.append(time_screen(own_loop_strips, images, count, cell))
                theirs.append(time_screen(rich_pixels_strips, images, count, cell))
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"  {f'{cell[0]}×{cell[1]}':14} {count:>6} {a:>9.1f} {b:>12.1f} {b / a:>6.1f}×")
        # The photo view: one picture filling the screen.
        picture = (size[0], size[1] - 4)
        images = [decode(p, (picture[0], picture[1] * 2)) for p in paths[:3]]
        ours = [time_screen(own_loop_strips, images, 1, picture) for _ in range(args.repeat)]
        theirs = [time_screen(rich_pixels_strips, images, 1, picture) for _ in range(args.repeat)]
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"  {f'photo {picture[0]}×{picture[1]}':14} {1:>6} {a:>9.1f} {b:>12.1f} {b / a:>6.1f}×")


if __name__ == "__main__":
    main()
