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
import math
import re
import threading
import warnings
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from PIL import Image, ImageFile, JpegImagePlugin

from core.media.formats import RAW_EXTENSIONS, extension, sniff_format
from core.media.records import UnreadableMedia
from core.units import human_size

#: Smallest side asked of the JPEG decoder: enough for a 256-px thumbnail and 32-px phash.
DRAFT_SIZE = 256
#: Memory one decoded image may take (width × height × Pillow's bytes per pixel, after
#: reduced decoding). With the file's bytes and the interpreter, this keeps `shoebox add`
#: under 1 GB on any input. A JPEG of any size fits (it is decoded at 1/2–1/8 scale, so a
#: 200-MP phone photo takes ~13 MB); other formats fit up to 134 MP in colour and 268 MP
#: (Pillow's guard, below) in grey or palette colours; a bigger HEIC falls back to its
#: embedded thumbnail.
DECODE_BUDGET = 512 * 1024 * 1024
#: A decode above this size waits for the large-decode lock (one at a time across workers);
#: a pool of N workers lowers it to 256 MiB / N so that small decodes in parallel stay small.
LARGE_DECODE = 64 * 1024 * 1024
#: Decoded images above this many pixels are box-reduced (to about REDUCED_PIXELS) before
#: hashing and thumbnailing: the hashes look at 32×32 pixels, the thumbnail at 256.
REDUCE_ABOVE = 32_000_000
REDUCED_PIXELS = 4_000_000
#: A JPEG with fewer bytes than pixels / this declares pixels that are not there: the
#: flattest JPEG libjpeg writes (grey, progressive, optimised) holds ~255 pixels a byte.
MAX_PIXELS_PER_BYTE = 2048
#: Pillow's own guard, also for code that opens images without ``decode_small``: 134 MP
#: (Pillow refuses twice that and warns in between; decode_small gives the reason instead).
MAX_PIXELS = DECODE_BUDGET // 4

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

#: Bytes per pixel Pillow uses by mode (every other mode, RGB included, takes four).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16L": 2, "I;16B": 2, "I;16N": 2}
#: libheif holds its own planes beside Pillow's copy while it decodes.
_HEIF_EXTRA_BYTES = 4

_large_decode: AbstractContextManager[object] = threading.Lock()
_large_decode_bytes = LARGE_DECODE


class TooManyPixels(Image.DecompressionBombError):
    """An image whose decode would not fit :data:`DECODE_BUDGET`; ``str()`` says why."""


def set_large_decode_lock(lock: AbstractContextManager[object], above: int = LARGE_DECODE) -> None:
    """Share one lock for decodes of more than ``above`` bytes between processes (worker
    start-up calls this)."""
    global _large_decode, _large_decode_bytes
    _large_decode, _large_decode_bytes = lock, above


def decoded_bytes(image: Image.Image) -> int:
    """Memory the decode of ``image`` (at its current, possibly drafted, size) takes."""
    width, height = image.size
    per_pixel = _BYTES_PER_PIXEL.get(image.mode, 4)
    if image.format in ("HEIF", "AVIF"):
        per_pixel += _HEIF_EXTRA_BYTES
    return width * height * per_pixel


def check_budget(image: Image.Image) -> int:
    """The bytes the decode takes; raises :class:`TooManyPixels` above the budget."""
    needed = decoded_bytes(image)
    if needed > DECODE_BUDGET:
        raise TooManyPixels(_budget_reason(*image.size, needed))
    return needed


def _budget_reason(width: int, height: int, needed: int) -> str:
    return (f"too many pixels to decode safely: {width}×{height} ({width * height / 1e6:,.0f} MP) would take "
            f"{human_size(needed)} of memory, more than the {human_size(DECODE_BUDGET)} Shoebox gives one image")  # fmt: skip


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
    if fmt == "jpeg":
        return open_jpeg(data), False
    if fmt == "webp" and (size := webp_canvas_size(data)) is not None:
        _refuse_declared(*size, bytes_per_pixel=4)  # libwebp allocates the whole canvas on open
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # Pillow's guard, before any pixel is read
        raise TooManyPixels(f"too many pixels to decode safely: {_declared(exc)}") from exc
    return image, fmt in ("heic", "avif")


def webp_canvas_size(data: bytes) -> tuple[int, int] | None:
    """The canvas size a WebP's header declares (VP8X, lossless VP8L or lossy VP8)."""
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if chunk == b"VP8 " and len(data) >= 30:
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    return None


def _refuse_declared(width: int, height: int, bytes_per_pixel: int) -> None:
    needed = width * height * bytes_per_pixel
    if needed > DECODE_BUDGET:
        raise TooManyPixels(_budget_reason(width, height, needed))


def _declared(exc: Image.DecompressionBombError) -> str:
    """Pillow's "Image size (900000000 pixels) exceeds limit …" said for a person."""
    match = re.search(r"\((\d+) pixels\)", str(exc))
    if match is None:
        return str(exc)
    return f"the image declares {int(match.group(1)) / 1e6:,.0f} MP, more than the {MAX_PIXELS * 2 / 1e6:,.0f} MP Shoebox opens"


def open_jpeg(data: bytes) -> Image.Image:
    """A JPEG opened without Pillow's pixel-count guard: it is decoded at reduced scale, so
    :func:`check_budget` judges it after ``draft`` (a 30000×30000 JPEG decodes at 1/8)."""
    return JpegImagePlugin.JpegImageFile(io.BytesIO(data))


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
    """Decode ``image`` small enough for a ``size``-px short side: JPEG at the smallest
    scale still ≥ ``size``, a HEIC over the budget from its embedded thumbnail, a large
    decode box-reduced at once. Raises :class:`TooManyPixels` when it cannot fit the budget."""
    if image.format == "JPEG":
        _check_jpeg_data(image)
        image.draft("RGB", (size, size))
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    if image.format in ("HEIF", "AVIF") and decoded_bytes(image) > DECODE_BUDGET:
        image.draft(image.mode, (size, size))  # pillow-heif: the smallest thumbnail ≥ size
    needed = check_budget(image)
    with _large_decode if needed > _large_decode_bytes else nullcontext():
        image.load()
        small = _reduced(image, size)
    if small is not image:
        image.close()  # the caller may hold the full-size image: free its pixels now
    return to_rgb(small)


def _check_jpeg_data(image: Image.Image) -> None:
    """Refuse a JPEG whose declared size its bytes cannot hold (libjpeg would invent the
    missing pixels, and a 693-byte file would be catalogued as a 900-MP photo)."""
    data_size = image.fp.getbuffer().nbytes if isinstance(image.fp, io.BytesIO) else None
    width, height = image.size
    if data_size and width * height > data_size * MAX_PIXELS_PER_BYTE:
        raise TooManyPixels(
            f"the JPEG declares {width}×{height} pixels but holds only {human_size(data_size)}: "
            "a decompression bomb or a broken header (metadata kept, no pixels)"
        )


def _reduced(image: Image.Image, size: int) -> Image.Image:
    """``image`` box-reduced to about REDUCED_PIXELS (short side kept ≥ ``size``) when large."""
    width, height = image.size
    if width * height <= REDUCE_ABOVE:
        return image
    factor = min(int(math.sqrt(width * height / REDUCED_PIXELS)), min(width, height) // max(size, 1))
    if factor < 2:
        return image
    try:
        return image.reduce(factor)
    except ValueError:  # modes reduce() does not take (palette, 1-bit, 16-bit)
        return image.resize((max(1, width // factor), max(1, height // factor)), Image.Resampling.NEAREST)


def _raw_preview(data: bytes) -> Image.Image:
    """The camera's embedded preview: through LibRaw (rawpy), else the largest JPEG
    stream found inside the file (every common RAW format embeds one)."""
    try:
        import rawpy

        with rawpy.imread(io.BytesIO(data)) as raw:
            thumb = raw.extract_thumb()
            sensor = (raw.sizes.width, raw.sizes.height)
        if thumb.format == rawpy.ThumbFormat.JPEG:
            preview = open_jpeg(thumb.data)
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
            candidate = open_jpeg(data[start:])
            if candidate.format == "JPEG" and (best is None or _area(candidate) > _area(best)):
                best = candidate
        except Exception:
            pass
        start = data.find(b"\xff\xd8\xff", start + 3)
    return best


def _area(image: Image.Image) -> int:
    return image.size[0] * image.size[1]


def read_file(path: Path) -> bytes:
    """The bytes of the file at ``path``; a gone or forbidden file raises :class:`UnreadableMedia`."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableMedia("the file is gone (moved or deleted since it was indexed)") from exc
    except PermissionError as exc:
        raise UnreadableMedia("permission denied: Shoebox cannot read this file") from exc


def decode_upright(data: bytes, name: str, size: int) -> tuple[Image.Image, tuple[int, int]]:
    """The image in ``data`` decoded small (:func:`decode_small` with ``size``) and turned
    upright, with the upright size of the original. Raises :class:`UnreadableMedia`."""
    from core.media.exif import read_exif

    fmt = sniff_format(data[:64], name) or extension(name)
    try:
        image, is_upright = open_image(data, fmt)
        original = image.info.get(RAW_SIZE_KEY) or image.size
        image = decode_small(image, size)
    except UnreadableMedia:
        raise
    except MemoryError as exc:
        raise UnreadableMedia("the image is too big to decode") from exc
    except Exception as exc:
        raise UnreadableMedia(f"the image cannot be decoded: {exc}") from exc
    if not is_upright:
        orientation = read_exif(data).orientation
        image = upright(image, orientation)
        if orientation in (5, 6, 7, 8):
            original = (original[1], original[0])
    return image, (int(original[0]), int(original[1]))


def load_upright(path: Path | str, max_side: int | None = None) -> Image.Image:
    """An RGB, upright image of the file at ``path``, at most ``max_side`` px on its long side.

    Used for previews and thumbnails. Raises :class:`UnreadableMedia` with a reason.
    """
    path = Path(path)
    image, _original = decode_upright(read_file(path), path.name, max_side // 2 if max_side else 1 << 30)
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image
