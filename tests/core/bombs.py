"""Decompression bombs, written byte by byte: small files that declare huge images.

Each is a valid file of its format (the PNG and TIFF ones decode, to 900 MB of zeros),
or a real small image whose header was made to declare a huge size (JPEG, GIF, WebP,
HEIC): the decoder would allocate the declared size before it found the data short.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

SIDE = 30000


def zeros_deflated(count: int, block: int = 1 << 20) -> bytes:
    """A zlib stream of ``count`` zero bytes, made fast: one fully flushed deflate block of
    ``block`` zeros repeated (each is self-contained), then the rest and the checksum."""
    whole, rest = divmod(count, block)
    packer = zlib.compressobj(9)
    header = packer.compress(b"") + packer.flush(zlib.Z_SYNC_FLUSH)  # just the 2-byte zlib header
    repeated = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(bytes(block)) + packer.flush(zlib.Z_FULL_FLUSH)
    assert again == repeated
    tail = packer.compress(bytes(rest)) + packer.flush(zlib.Z_FINISH)[:-4]
    adler = (count % 65521) << 16 | 1  # adler32 of zeros: a = 1, b = count mod 65521
    return header + repeated * whole + tail + struct.pack(">I", adler)


def png_bomb(path: Path, side: int = SIDE, colour: bool = False) -> Path:
    """A grey (or RGB) PNG of ``side``² zero pixels (30000² grey: 900 MB decoded, ~875 KB
    on disk)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2 if colour else 0, 0, 0, 0)
    data = zeros_deflated(side * (side * (3 if colour else 1) + 1))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def tiff_bomb(path: Path, side: int = SIDE) -> Path:
    """A grey, deflate-compressed TIFF of ``side``² zero pixels in one strip."""
    strip = zeros_deflated(side * side)
    entries = [  # tag, type (3 SHORT, 4 LONG), value
        (256, 4, side), (257, 4, side), (258, 3, 8), (259, 3, 8), (262, 3, 1),
        (273, 4, 0), (277, 3, 1), (278, 4, side), (279, 4, len(strip)),
    ]  # fmt: skip
    ifd_offset = 8
    data_offset = ifd_offset + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = data_offset if tag == 273 else value
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, 1) + packed
    ifd += struct.pack("<I", 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", ifd_offset) + ifd + strip)
    return path


def jpeg_bomb(path: Path, side: int = SIDE) -> Path:
    """A real 64×64 JPEG whose frame header declares ``side``×``side``."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", side, side)
    path.write_bytes(bytes(data))
    return path


def gif_bomb(path: Path, side: int = 65535) -> Path:
    """A GIF declaring a ``side``² screen and frame, with almost no pixel data."""
    header = b"GIF89a" + struct.pack("<HHBBB", side, side, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, side, side, 0) + b"\x02\x02\x4c\x01\x00"
    path.write_bytes(header + frame + b"\x3b")
    return path


def webp_bomb(path: Path, side: int = 16383) -> Path:
    """A real lossless WebP whose VP8L header declares ``side``² (the format's maximum)."""
    buffer = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 0, 0, 0)).save(buffer, "WEBP", lossless=True)
    data = bytearray(buffer.getvalue())
    at = data.find(b"VP8L") + 8 + 1  # after the chunk header and the 0x2f signature
    bits = int.from_bytes(data[at : at + 4], "little")
    bits = (bits & ~0x0FFFFFFF) | (side - 1) | ((side - 1) << 14)
    data[at : at + 4] = bits.to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def heic_bomb(path: Path, side: int = SIDE) -> Path:
    """A real 64×64 HEIC whose ``ispe`` (image size) box declares ``side``²."""
    from core.media.decode import register_heif

    register_heif()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 200, 30)).save(buffer, "HEIF", quality=50)
    data = bytearray(buffer.getvalue())
    at = data.find(b"ispe")
    data[at + 8 : at + 16] = struct.pack(">II", side, side)
    path.write_bytes(bytes(data))
    return path


ALL = {"png": png_bomb, "tif": tiff_bomb, "jpg": jpeg_bomb, "gif": gif_bomb, "webp": webp_bomb, "heic": heic_bomb}


def write_heaviest_allowed(folder: Path) -> list[Path]:
    """Small files that decode to the most memory Shoebox allows: two 256-MP grey PNGs
    (256 MB each, decoded one at a time) and a 121-MP colour PNG (484 MB in Pillow)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [png_bomb(folder / "grey_a.png", 16000), png_bomb(folder / "grey_b.png", 16000),
            png_bomb(folder / "colour.png", 11000, colour=True)]  # fmt: skip


def write_all(folder: Path) -> dict[str, Path]:
    """One bomb per format in ``folder``, by extension."""
    folder.mkdir(parents=True, exist_ok=True)
    return {ext: make(folder / f"bomb.{ext}") for ext, make in ALL.items()}
