"""Choosing how the photo view draws pictures: terminal graphics or coloured half-blocks.

Kitty's graphics protocol and sixel give real pixels, but only on a local terminal that
answers the capability queries. Over SSH, inside tmux/screen, when output is not a
terminal (tests, pipes), or when the user asks, Shoebox uses coloured half-blocks — never
textual-image's grey shading characters, which make photos unreadable.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from enum import Enum

PREVIEW_ENV = "SHOEBOX_PREVIEW"


class PreviewMode(str, Enum):
    HALFCELL = "halfcell"
    SIXEL = "sixel"
    TGP = "tgp"


def choose_preview_mode(environ: Mapping[str, str] | None = None, is_tty: bool | None = None) -> PreviewMode:
    """The mode to use; ``$SHOEBOX_PREVIEW`` (halfcell, sixel, tgp, auto) overrides detection.

    Detection asks the terminal (through textual-image) only when it is safe and useful,
    so call this before the Textual app starts reading the terminal.
    """
    env = os.environ if environ is None else environ
    forced = env.get(PREVIEW_ENV, "auto").strip().lower()
    if forced in {mode.value for mode in PreviewMode}:
        return PreviewMode(forced)
    if is_tty is None:
        is_tty = bool(sys.__stdout__ and sys.__stdout__.isatty() and sys.__stdin__ and sys.__stdin__.isatty())
    if not is_tty or _multiplexed_or_remote(env):
        return PreviewMode.HALFCELL
    try:
        from textual_image.renderable import Image as detected
        from textual_image.renderable import SixelImage, TGPImage
    except Exception:  # a terminal that answers queries strangely must not stop the app
        return PreviewMode.HALFCELL
    if detected is SixelImage:
        return PreviewMode.SIXEL
    if detected is TGPImage:
        return PreviewMode.TGP
    return PreviewMode.HALFCELL


def _multiplexed_or_remote(env: Mapping[str, str]) -> bool:
    term = env.get("TERM", "")
    return bool(
        env.get("TMUX")
        or env.get("STY")
        or env.get("SSH_CONNECTION")
        or env.get("SSH_TTY")
        or term.startswith(("screen", "tmux", "linux", "dumb"))
    )


def ask_terminal_now() -> None:
    """Let textual-image ask the terminal everything it will want, while nothing else reads it.

    Importing textual-image queries the terminal (device attributes, for sixel and the kitty
    protocol), and its first render asks for the cell size where the kernel does not know
    it. Done later, from the first photo view, the replies race Textual's own input reader
    and arrive as key presses (``[?1;2c``: the keys screen opens, digits rate the photo).
    So in a graphics mode this runs before the app starts (both answers are cached); in
    half-block mode textual-image is never imported at all.
    """
    try:
        import textual_image.renderable  # noqa: F401  (the capability queries run on import)
        import textual_image.widget  # noqa: F401
        from textual_image._terminal import get_cell_size

        get_cell_size()
    except Exception:  # a terminal that answers strangely: textual-image falls back to defaults
        pass
