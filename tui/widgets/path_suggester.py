"""Completing folder paths as they are typed (``→`` accepts the suggestion)."""

from __future__ import annotations

import os

from textual.suggester import Suggester


class FolderSuggester(Suggester):
    """Suggests the first sub-folder whose name starts with what was typed after the last ``/``."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        parent, prefix = os.path.split(expanded)
        parent = parent or "."
        try:
            with os.scandir(parent) as entries:
                names = sorted(
                    entry.name
                    for entry in entries
                    if entry.name.startswith(prefix)
                    and (prefix.startswith(".") or not entry.name.startswith("."))
                    and _is_dir(entry)
                )
        except OSError:
            return None
        for name in names:
            if name != prefix:
                return value + name[len(prefix) :] + os.sep
        return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
