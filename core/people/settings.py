"""People settings in the library's config.toml: ``[people] auto = true`` scans new photos
for faces as they are indexed (``shoebox people auto on|off``; off by default)."""

from __future__ import annotations

from core.config import ConfigError, load_config, set_value
from core.library import Library

TABLE, AUTO = "people", "auto"


def auto_scan(library: Library) -> bool:
    """Whether new photos are scanned for faces as they are indexed (False when unset or unreadable)."""
    try:
        value = load_config(library.directory).get(TABLE, {}).get(AUTO, False)
    except ConfigError:
        return False
    return value is True


def set_auto_scan(library: Library, on: bool) -> None:
    set_value(library.directory, TABLE, AUTO, bool(on))
