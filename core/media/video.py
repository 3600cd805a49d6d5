"""Video files as catalogue entries: creation time and frame size from the container.

No decoding: for MP4/MOV (ISO-BMFF/QuickTime) the ``moov/mvhd`` box gives the creation
time (seconds since 1904, UTC by the spec) and the video track's ``tkhd`` its display
size. Other containers are catalogued with their size and file time only.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from typing import BinaryIO

_EPOCH_1904 = 2_082_844_800  # seconds from 1904-01-01 to 1970-01-01
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"udta"}


@dataclass(slots=True)
class VideoInfo:
    taken_at: str | None = None  # local time, YYYY-MM-DDTHH:MM:SS
    width: int | None = None
    height: int | None = None


def read_video_info(handle: BinaryIO, size: int) -> VideoInfo:
    """What the container says; an empty :class:`VideoInfo` when it says nothing usable."""
    info = VideoInfo()
    try:
        _walk(handle, 0, size, info, depth=0)
    except (OSError, struct.error, ValueError):
        pass
    return info


def _walk(handle: BinaryIO, start: int, end: int, info: VideoInfo, depth: int) -> None:
    offset = start
    while offset + 8 <= end and depth < 6:
        handle.seek(offset)
        header = handle.read(8)
        if len(header) < 8:
            return
        box_size, kind = struct.unpack(">I4s", header)
        body = offset + 8
        if box_size == 1:
            box_size = struct.unpack(">Q", handle.read(8))[0]
            body += 8
        elif box_size == 0:
            box_size = end - offset
        if box_size < 8:
            return
        if kind in _CONTAINERS:
            _walk(handle, body, min(offset + box_size, end), info, depth + 1)
        elif kind == b"mvhd" and info.taken_at is None:
            info.taken_at = _creation_time(handle.read(32))
        elif kind == b"tkhd" and info.width is None:
            _track_size(handle.read(min(box_size - 8, 104)), info)
        offset += box_size


def _creation_time(body: bytes) -> str | None:
    version = body[0]
    seconds = struct.unpack(">Q", body[4:12])[0] if version == 1 else struct.unpack(">I", body[4:8])[0]
    unix = seconds - _EPOCH_1904
    if unix <= 0 or unix > time.time() + 86400 * 366:
        return None  # unset (0) or nonsense: use the file time instead
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(unix))


def _track_size(body: bytes, info: VideoInfo) -> None:
    start = 88 if body[:1] == b"\x01" else 76
    tail = body[start : start + 8]
    if len(tail) < 8:
        return
    width, height = (value >> 16 for value in struct.unpack(">II", tail))
    if width and height:  # audio tracks have 0×0
        info.width, info.height = width, height
