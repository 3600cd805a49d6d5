"""What reading or writing sidecars did, photo by photo, and the words for it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

#: Actions in the order a summary names them.
ACTIONS = ("created", "written", "read", "unchanged", "skipped", "failed")


@dataclass(slots=True)
class SidecarResult:
    """What happened to one photo's sidecar.

    ``action`` is ``created``/``written``/``unchanged`` for a write, ``read``/``unchanged``
    for a read, or ``skipped``/``failed`` with a ``reason``. ``catalog_changes`` lists the
    fields the catalog took from the sidecar, ``sidecar_changes`` the fields written into it.
    """

    photo_id: int
    path: str
    sidecar: str | None
    action: str
    catalog_changes: list[str] = field(default_factory=list)
    sidecar_changes: list[str] = field(default_factory=list)
    reason: str | None = None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def failures(results: Iterable[SidecarResult]) -> list[str]:
    """One line per sidecar that could not be written, for a warning."""
    return [f"{r.sidecar or r.path}: {r.reason}" for r in results if r.action == "failed"]


def summary(results: Iterable[SidecarResult]) -> str:
    """``2 created, 1 unchanged, 1 failed`` (``no photos`` for none)."""
    counts = Counter(r.action for r in results)
    return ", ".join(f"{counts[a]} {a}" for a in ACTIONS if counts[a]) or "no photos"
