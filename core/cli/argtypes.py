"""Argument types shared by every CLI command: numbers, durations and sizes, bounded.

Each type turns hostile text (``-5``, ``1e23``, ``nan``, ``inf``, ``9999999999d``) into an
``argparse.ArgumentTypeError`` with a sentence a person understands; the parser
(:class:`ShoeboxParser`) prints it as one line and exits with status 2. No value that
passes reaches a core function able to overflow on it.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import NoReturn

#: The longest age ``trash purge --older-than`` takes (datetime arithmetic stops at year 1).
MAX_AGE = timedelta(days=365 * 1000)
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


class ShoeboxParser(argparse.ArgumentParser):
    """argparse with one-line errors: ``shoebox: ls: --limit must be ...`` and exit 2."""

    def error(self, message: str) -> NoReturn:
        where = self.prog.removeprefix("shoebox").strip()
        prefix = f"{where}: " if where else ""
        print(f"shoebox: {prefix}{message} (see `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def integer(minimum: int, maximum: int, what: str = "a whole number") -> Callable[[str], int]:
    """A whole number written in digits, ``minimum`` ≤ n ≤ ``maximum``."""

    def parse(text: str) -> int:
        if not _INTEGER.fullmatch(text) or len(text.strip()) > 20:
            raise argparse.ArgumentTypeError(f"{_shown(text)} is not {what} from {minimum} to {maximum}")
        value = int(text)
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give {what} from {minimum} to {maximum}")
        return value

    parse.__name__ = "integer"  # argparse names the type in its messages
    return parse


def seconds(minimum: float, maximum: float) -> Callable[[str], float]:
    """A finite number of seconds (``2``, ``0.5``), ``minimum`` ≤ s ≤ ``maximum``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{_shown(text)} is not a number of seconds")
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"{text.strip()} is out of range: give {minimum:g} to {maximum:g} seconds")
        return value

    parse.__name__ = "seconds"
    return parse


def age(text: str) -> timedelta:
    """``30d``, ``12h``, ``2w``, ``0`` (a bare number is days), at most 1000 years."""
    from core.trash import parse_duration

    try:
        value = parse_duration(text)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, ValueError) and "duration" in str(exc):
            raise argparse.ArgumentTypeError(str(exc)) from exc
        raise argparse.ArgumentTypeError(f"{_shown(text)} is too long an age: at most 1000 years (365000d)") from exc
    if value > MAX_AGE:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is too long an age: at most 1000 years (365000d)")
    return value


#: The highest bandwidth limit taken (beyond it, a limit means nothing).
MAX_RATE = 100 * 1000**3


def rate(text: str) -> str:
    """A bandwidth like ``5MB/s`` (checked here, parsed where it is used), above zero and
    at most 100 GB/s."""
    from core.cloud.errors import CloudError
    from core.cloud.target import parse_rate

    try:
        value = parse_rate(text)
    except (CloudError, ValueError, OverflowError) as exc:
        raise argparse.ArgumentTypeError(str(exc) if isinstance(exc, CloudError) else
                                         f"{_shown(text)} is not a rate: write e.g. 5MB/s") from exc  # fmt: skip
    if value > MAX_RATE:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is out of range: at most 100GB/s")
    return text


def time_window(text: str) -> str:
    """An upload window like ``01:00-06:00`` (checked here, parsed where it is used)."""
    from core.cloud.errors import CloudError
    from core.watch.window import UploadWindow

    try:
        UploadWindow.parse(text)
    except CloudError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


def link_lifetime(text: str) -> str:
    """How long share links work, ``30m`` to ``7d`` (checked here, parsed where it is used)."""
    from core.cloud.errors import CloudError
    from core.share.durations import parse_duration

    try:
        parse_duration(text)
    except CloudError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


#: The largest object S3 stores: a bigger upload cap means nothing.
MAX_UPLOAD_SIZE = 5 * 1000**4


def upload_size(text: str) -> str:
    """A size cap like ``500MB`` (checked here, parsed where it is used), at most 5TB."""
    from core.cloud.errors import CloudError
    from core.share.collect import parse_size

    try:
        value = parse_size(text)
    except CloudError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if value > MAX_UPLOAD_SIZE:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is out of range: at most 5TB (the largest S3 object)")
    return text


def _shown(text: str) -> str:
    """The offending text, quoted and cut (a 50,000-character argument stays one line)."""
    return repr(text if len(text) <= 40 else text[:39] + "…")
