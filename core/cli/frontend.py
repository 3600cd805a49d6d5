"""Finding the interactive front end (the Textual app) without importing it from core.

The TUI registers itself under the ``shoebox.frontends`` entry-point group
(see pyproject.toml); the CLI only looks it up by name when a person wants it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

FrontEnd = Callable[[Path], int]


def find_frontend(name: str = "tui") -> FrontEnd | None:
    """The registered front end called ``name``, or None when it is not installed."""
    for entry in entry_points(group="shoebox.frontends"):
        if entry.name == name:
            return entry.load()
    return None


def open_frontend(library_dir: Path) -> int:
    """Open the TUI on a library; a clear message when it is not installed."""
    frontend = find_frontend()
    if frontend is None:
        print("shoebox: the terminal UI is not installed; use the subcommands (shoebox --help)")
        return 1
    return frontend(library_dir)
