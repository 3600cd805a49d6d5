"""Grouping faces into persons: incremental (new faces join or form persons) and full re-cluster.

Manual assignments, names and rejections are facts: neither function changes them.
Two faces of one photo are never put in one person.
(Contract for the scan; implemented with the clustering.)
"""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog.db import Database


@dataclass(slots=True)
class ClusterStats:
    joined: int = 0  # faces that joined an existing person
    new_persons: int = 0  # persons formed from unmatched faces
    left_alone: int = 0  # faces left unassigned (no match, cluster too small)


def cluster_new_faces(db: Database, model: str) -> ClusterStats:
    """Place every face of ``model`` that has a vector but no person (and is not manual)."""
    raise NotImplementedError


def recluster(db: Database, model: str) -> ClusterStats:
    """Re-do every automatic assignment from scratch; manual ones, names and rejections stay."""
    raise NotImplementedError
