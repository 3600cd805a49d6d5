"""The post-store index stages, in the order a run does them.

A capability adds a stage with a class (see :class:`core.indexing.stages.IndexStage`)
and one line here; ``index --help``, ``index --only`` and the summaries follow.
"""

from __future__ import annotations

from core.indexing.stages import IndexStage
from core.people.stage import FacesStage
from core.xmp.stage import SidecarStage

STAGES: tuple[IndexStage, ...] = (
    SidecarStage(),
    FacesStage(),
)  # fmt: skip


def stage_names() -> list[str]:
    """The registered stages' names, in run order."""
    return [stage.name for stage in STAGES]


def get_stage(name: str) -> IndexStage:
    """The stage called ``name``; ``KeyError`` names the known ones."""
    for stage in STAGES:
        if stage.name == name:
            return stage
    raise KeyError(f"there is no index stage {name!r}: the stages are {', '.join(stage_names())}")


def phase_title(phase: str) -> str:
    """What a progress display calls ``phase`` past scanning: a stage's title, else "Indexing"."""
    for stage in STAGES:
        if stage.name == phase:
            return stage.title
    return "Indexing"
