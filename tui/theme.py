"""Shoebox's colours: calm greys with one warm accent, chosen to survive 256 colours."""

from __future__ import annotations

from textual.theme import Theme

SHOEBOX_DARK = Theme(
    name="shoebox",
    primary="#5fafd7",  # xterm-256 74
    secondary="#87afaf",
    accent="#ffaf5f",  # xterm-256 215
    warning="#ffd75f",
    error="#ff5f5f",
    success="#87d787",
    foreground="#d0d0d0",
    background="#121212",
    surface="#1c1c1c",
    panel="#262626",
    dark=True,
    variables={
        "block-cursor-background": "#ffaf5f",
        "block-cursor-foreground": "#121212",
        "footer-key-foreground": "#ffaf5f",
    },
)

SHOEBOX_LIGHT = Theme(
    name="shoebox-light",
    primary="#005f87",
    secondary="#5f8787",
    accent="#af5f00",
    warning="#af8700",
    error="#d70000",
    success="#008700",
    foreground="#1c1c1c",
    background="#eeeeee",
    surface="#e4e4e4",
    panel="#d0d0d0",
    dark=False,
    variables={"block-cursor-background": "#af5f00", "block-cursor-foreground": "#ffffff"},
)

THEMES = (SHOEBOX_DARK, SHOEBOX_LIGHT)
