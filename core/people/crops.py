"""A face's pixels: its box (plus a margin) cut from the photo, upright, small.

The people pane, the review queue and the photo view show faces, not whole photos. The
photo is draft-decoded small (a JPEG at 1/2–1/8 scale costs a few ms), the box — stored in
upright original pixels — is scaled to that decode, widened to a square with a margin
around the face, and cut out. No UI here: the TUI turns the crop into half-blocks.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from core.media.decode import decode_upright, read_file
from core.media.records import UnreadableMedia
from core.people.records import Box

#: Short side the photo is decoded at before cropping (a face found by the detector is
#: ≥ ~40 px at its 1600 px long side; at 600 px short side it is still ~20 px or more).
DECODE_SHORT_SIDE = 600
#: Space kept around the face box on each side, as a share of the box's larger side.
MARGIN = 0.3


def crop_region(box: Box, image_size: tuple[int, int], margin: float = MARGIN) -> tuple[int, int, int, int]:
    """The square (left, top, right, bottom) around ``box`` with ``margin``, moved inside the image.

    Squares larger than the image shrink to fit; a box at an edge keeps the face whole by
    sliding the square inward rather than cutting it.
    """
    width, height = image_size
    side = min(round(max(box.w, box.h) * (1 + 2 * margin)), width, height)
    side = max(1, side)
    centre_x, centre_y = box.x + box.w / 2, box.y + box.h / 2
    left = min(max(0, round(centre_x - side / 2)), width - side)
    top = min(max(0, round(centre_y - side / 2)), height - side)
    return left, top, left + side, top + side


def face_crop(
    path: Path | str, box: Box, *, margin: float = MARGIN, decode_side: int = DECODE_SHORT_SIDE
) -> Image.Image:
    """The face in ``box`` (upright original pixels) of the photo at ``path``, as a square RGB image.

    Raises :class:`~core.media.records.UnreadableMedia` with a reason when the photo cannot be read.
    """
    path = Path(path)
    image, original = decode_upright(read_file(path), path.name, decode_side)
    if original[0] <= 0 or original[1] <= 0:
        raise UnreadableMedia("the photo has no size")
    scale_x, scale_y = image.width / original[0], image.height / original[1]
    scaled = Box(
        round(box.x * scale_x), round(box.y * scale_y), max(1, round(box.w * scale_x)), max(1, round(box.h * scale_y))
    )
    return image.crop(crop_region(scaled, image.size, margin))
