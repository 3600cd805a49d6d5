"""``24h``, ``7d``, ``30m`` → seconds, within what a presigned link can last."""

from __future__ import annotations

import re

from core.cloud.errors import CloudError

#: SigV4 presigned URLs and POST policies last at most seven days.
MAX_SECONDS = 7 * 24 * 3600
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> int:
    """Seconds in ``text`` (``90s``, ``30m``, ``24h``, ``7d``, ``1w``); at most seven days."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhdw])\s*", text.lower())
    if not match:
        raise CloudError(f"'{text}' is not a duration: write e.g. 30m, 24h or 7d")
    seconds = int(match.group(1)) * _UNITS[match.group(2)]
    if seconds <= 0:
        raise CloudError("a share must last more than zero seconds")
    if seconds > MAX_SECONDS:
        raise CloudError("a link can last at most 7 days (an S3 limit for presigned links)")
    return seconds


def describe_remaining(seconds: float) -> str:
    """``3d 4h``, ``2h 10m``, ``45s`` or ``expired``."""
    if seconds <= 0:
        return "expired"
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m" if minutes else f"{secs}s"
