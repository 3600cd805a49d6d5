"""Decoding pixels cheaply and upright.

A 12-megapixel JPEG decoded at full size only to be hashed at 32×32 is waste:
``Image.draft`` asks libjpeg-turbo for a 1/2–1/8 scale decode instead, about 3× faster,
and changes the perceptual hashes by at most a bit or two. Every image is turned upright
(EXIF orientation) before hashing or thumbnailing, so a photo stored rotated hashes like
its upright copy. HEIC/HEIF decode through pillow-heif (which applies the container's
rotation itself); RAW files give their embedded preview through rawpy.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageFile

from core.media.formats import RAW_EXTENSIONS, extension, sniff_format
from core.media.records import UnreadableMedia

#: Smallest side asked of the JPEG decoder: enough for a 256-px thumbnail and 32-px phash.
DRAFT_SIZE = 256
#: Refuse to decode more pixels than this (a 600-MP panorama is fine, a decompression bomb is not).
MAX_PIXELS = 600_000_000

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

#: ``Image.info`` key under which a RAW preview carries the sensor's pixel size.
RAW_SIZE_KEY = "shoebox_raw_size"

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_heif_ready = False


def register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF/AVIF (once per process)."""
    global _heif_ready
    if not _heif_ready:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_ready = True


def upright(image: Image.Image, orientation: int | None) -> Image.Image:
    """The image turned as EXIF ``orientation`` (1–8) says it should be shown."""
    method = _TRANSPOSE.get(orientation or 1)
    return image.transpose(method) if method is not None else image


def to_rgb(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency composited on white, 16-bit and CMYK converted."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def open_image(data: bytes, fmt: str) -> tuple[Image.Image, bool]:
    """A lazily-loaded Pillow image for a file's bytes, and whether it is already upright.

    RAW files yield their embedded preview. Raises :class:`UnreadableMedia` when there is
    nothing Pillow can open.
    """
    if fmt == "heic" or fmt == "avif":
        register_heif()
    if fmt in RAW_EXTENSIONS:  # RAW format names are their extensions
        return _raw_preview(data), False
    image = Image.open(io.BytesIO(data))
    return image, fmt in ("heic", "avif")


def heif_stored_size(data: bytes) -> tuple[int, int] | None:
    """The coded size of a HEIF's primary image (its largest ``ispe`` box), before the
    container's rotation (``irot``) that pillow-heif applies on decode."""
    best: tuple[int, int] | None = None
    start = 0
    window = data[: 1 << 20]
    while (found := window.find(b"ispe", start)) != -1:
        start = found + 4
        body = window[found + 8 : found + 16]  # after version/flags
        if len(body) == 8:
            size = (int.from_bytes(body[:4], "big"), int.from_bytes(body[4:], "big"))
            if best is None or size[0] * size[1] > best[0] * best[1]:
                best = size
    return best


def decode_small(image: Image.Image, size: int = DRAFT_SIZE) -> Image.Image:
    """Decode ``image`` at the smallest JPEG scale still ≥ ``size`` px on its short side."""
    if image.format == "JPEG":
        image.draft("RGB", (size, size))
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image.load()
    return to_rgb(image)


def _raw_preview(data: bytes) -> Image.Image:
    """The camera's embedded preview: through LibRaw (rawpy), else the largest JPEG
    stream found inside the file (every common RAW format embeds one)."""
    try:
        import rawpy

        with rawpy.imread(io.BytesIO(data)) as raw:
            thumb = raw.extract_thumb()
            sensor = (raw.sizes.width, raw.sizes.height)
        if thumb.format == rawpy.ThumbFormat.JPEG:
            preview = Image.open(io.BytesIO(thumb.data))
        else:
            preview = Image.fromarray(thumb.data)
        preview.info[RAW_SIZE_KEY] = sensor
        return preview
    except Exception:
        pass
    preview = largest_embedded_jpeg(data)
    if preview is None:
        raise UnreadableMedia("RAW file without a readable preview")
    return preview


def largest_embedded_jpeg(data: bytes, limit: int = 64) -> Image.Image | None:
    """The largest JPEG image embedded in ``data`` (looks at up to ``limit`` SOI markers)."""
    best: Image.Image | None = None
    start = data.find(b"\xff\xd8\xff", 1)
    while start != -1 and limit > 0:
        limit -= 1
        try:
            candidate = Image.open(io.BytesIO(data[start:]))
            if candidate.format == "JPEG" and (best is None or _area(candidate) > _area(best)):
                best = candidate
        except Exception:
            pass
        start = data.find(b"\xff\xd8\xff", start + 3)
    return best


def _area(image: Image.Image) -> int:
    return image.size[0] * image.size[1]


def load_upright(path: Path | str, max_side: int | None = None) -> Image.Image:
    """An RGB, upright image of the file at ``path``, at most ``max_side`` px on its long side.

    Used for previews and thumbnails. Raises :class:`UnreadableMedia` with a reason.
    """
    from core.media.exif import read_exif

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableMedia("the file is gone (moved or deleted since it was indexed)") from exc
    except PermissionError as exc:
        raise UnreadableMedia("permission denied: Shoebox cannot read this file") from exc
    fmt = sniff_format(data[:64], path.name) or extension(path.name)
    try:
        image, is_upright = open_image(data, fmt)
        image = decode_small(image, max_side // 2 if max_side else 1 << 30)
    except UnreadableMedia:
        raise
    except Exception as exc:
        raise UnreadableMedia(f"the image cannot be decoded: {exc}") from exc
    if not is_upright:
        image = upright(image, read_exif(data).orientation)
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image
