"""Finding the faces of one photo file: decode small and upright, detect, embed, map back.

One decode serves both steps: the JPEG is draft-decoded at the smallest scale whose short
side is at least :data:`EMBED_SHORT_SIDE` (a 12 MP photo at 1/2: 2000×1500, 28 ms), turned
upright (EXIF orientation), and its luminance, at most :data:`DETECT_SIDE` px on its long
side, is given to the detector. The boxes found are scaled up to the decoded image for the
landmarks and the embedding (a face found at 70 px there is ~120 px in the decode, enough
for dlib's 150 px chip), and stored in upright original-pixel coordinates.

Choosing the detection size (``bench/faces_bench.py``, 12 MP JPEGs, 2 cores): see
:data:`DETECT_SIDE`. An image smaller than :data:`UPSAMPLE_BELOW` (a 630 px web picture)
is looked at with ×2 upsampling instead, so its small faces are still found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.media.decode import decode_upright, read_file
from core.media.records import UnreadableMedia
from core.people.model import FaceModel
from core.people.records import Box

#: Long side of the image the HOG detector looks at: a 12 MP photo's 1/2 draft decode as it
#: is (no resize). Measured (bench/faces_bench.py, 24 12 MP photos with 1-3 faces, CPU ms a
#: photo; share of the faces a full-size ×2-upsampled baseline finds, by face width):
#:   2000 px: decode 32, detect 174, embed 151 = 357 ms; all 68 %, >= 100 px 93 %, >= 160 px 100 %
#:   1600 px: decode 30, detect 128, embed 123 = 281 ms; all 57 %, >= 100 px 77 %, >= 160 px 100 %
#:   1200 px: decode 28, detect  70, embed  84 = 182 ms; all 43 %, >= 100 px 59 %, >= 160 px  89 %
#: 2000 px finds 14 of the 17 faces 100-160 px wide (2.5-4 % of the width: people a few
#: metres away) where 1600 px finds 7, for 27 % more CPU, much of it embedding those faces.
#: Faces under 100 px (the baseline finds them down to 53 px) need a full-size decode and
#: 4x the detection: not worth it for vectors that small.
DETECT_SIDE = 2000
#: Short side (at least) of the decode the landmarks and the embedding read.
EMBED_SHORT_SIDE = 1000
#: Below this long side the detector looks at the image upsampled ×2 (a 630 px web picture).
UPSAMPLE_BELOW = 800
#: The detector looks at the luminance only: HOG on one channel instead of three, the same
#: faces found (measured at 1600 px: detect 164 -> 128 CPU ms a 12 MP photo).
DETECT_GRAY = True


@dataclass(frozen=True, slots=True)
class FoundFace:
    """One face: its box in upright original pixels, the detector's score and its vector."""

    box: Box
    score: float
    vector: np.ndarray


@dataclass(frozen=True, slots=True)
class FacesOfPhoto:
    """What the model found in one photo, with the photo's upright original size."""

    width: int
    height: int
    faces: list[FoundFace]


@dataclass(frozen=True, slots=True)
class Sizes:
    """The decode and detection sizes (parameters, so the bench can compare choices)."""

    detect_side: int = DETECT_SIDE
    embed_short_side: int = EMBED_SHORT_SIDE
    upsample_below: int = UPSAMPLE_BELOW
    gray: bool = DETECT_GRAY


class FileUnavailable(UnreadableMedia):
    """The file cannot be read right now (gone, forbidden, an I/O error), unlike one whose
    bytes cannot be decoded: worth trying again later."""


def read_pixels(path: Path | str, short_side: int) -> tuple[Image.Image, tuple[int, int]]:
    """The photo decoded upright (short side ≥ ``short_side`` when it is that big) and its
    upright original size. Raises :class:`UnreadableMedia` with a reason
    (:class:`FileUnavailable` when the file itself cannot be read now)."""
    path = Path(path)
    try:
        data = read_file(path)
    except UnreadableMedia as exc:  # read_file names the gone and forbidden files itself
        raise FileUnavailable(str(exc)) from exc
    except OSError as exc:
        raise FileUnavailable(f"the file cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise UnreadableMedia("the file is empty (0 bytes)")
    return decode_upright(data, path.name, short_side)


def find_faces(path: Path | str, model: FaceModel, sizes: Sizes = Sizes()) -> FacesOfPhoto:
    """The faces in the photo at ``path``. Raises :class:`UnreadableMedia` with a reason."""
    decoded, (width, height) = read_pixels(path, sizes.embed_short_side)
    return FacesOfPhoto(width, height, faces_in_image(decoded, (width, height), model, sizes))


def faces_in_image(
    decoded: Image.Image, original: tuple[int, int], model: FaceModel, sizes: Sizes = Sizes()
) -> list[FoundFace]:
    """Faces of an upright RGB image, boxes scaled to ``original`` (the upright full size)."""
    long_side = max(decoded.size)
    upsample = 1 if long_side < sizes.upsample_below else 0
    looked_at = decoded.convert("L") if sizes.gray else decoded
    if long_side > sizes.detect_side:
        scale = sizes.detect_side / long_side
        target = (max(1, round(decoded.width * scale)), max(1, round(decoded.height * scale)))
        looked_at = looked_at.resize(target, Image.Resampling.BILINEAR, reducing_gap=2.0)
    detections = model.detect(np.asarray(looked_at), upsample)
    if not detections:
        return []
    to_decoded = decoded.width / looked_at.width
    boxes = [_clip(_scaled(d.box, to_decoded), decoded.width, decoded.height) for d in detections]
    vectors = model.embed(np.asarray(decoded), boxes)
    to_original = original[0] / decoded.width
    return [
        FoundFace(_clip(_scaled(box, to_original), *original), d.score, vector)
        for box, d, vector in zip(boxes, detections, vectors)
    ]


def _scaled(box: Box, factor: float) -> Box:
    if factor == 1:
        return box
    return Box(
        round(box.x * factor), round(box.y * factor), max(1, round(box.w * factor)), max(1, round(box.h * factor))
    )


def _clip(box: Box, width: int, height: int) -> Box:
    x, y = min(max(0, box.x), width - 1), min(max(0, box.y), height - 1)
    return Box(x, y, max(1, min(box.w, width - x)), max(1, min(box.h, height - y)))
