"""Saying on stderr which XMP sidecars could not be kept in step (the catalog change stands)."""

from __future__ import annotations

from collections.abc import Iterable

from core.cli.output import error
from core.xmp import SidecarResult, failures


def warn_sidecars(results: Iterable[SidecarResult]) -> None:
    for line in failures(results):
        error(f"sidecar not updated: {line}")
