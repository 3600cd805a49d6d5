"""Human-readable quantities shared by the CLI and the TUI."""

from __future__ import annotations


def human_size(size: int | None, missing: str = "-") -> str:
    """``97.8 KB``, ``2.1 GB``: decimal units, one decimal place (``missing`` for None)."""
    if size is None:
        return missing
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")
