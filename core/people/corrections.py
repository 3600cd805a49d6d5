"""A user's decisions about faces and persons: facts that no scan or re-cluster undoes.

Every function here is one transaction and is recorded so :func:`undo_last` can take it
back. (Contract for the people pane and the CLI; implemented with the clustering.)
"""

from __future__ import annotations

from core.catalog.db import Database


def name_person(db: Database, person_id: int, name: str) -> int:
    """Name (or rename) a person; a name another person has merges them. Returns the surviving id."""
    raise NotImplementedError


def assign_face(db: Database, face_id: int, name: str) -> int:
    """This face is ``name`` (the person is created if needed); manual. Returns the person id."""
    raise NotImplementedError


def confirm_face(db: Database, face_id: int) -> None:
    """The face's automatic person is right: it becomes a manual assignment."""
    raise NotImplementedError


def reject_face(db: Database, face_id: int) -> None:
    """Not the person it is attached to: detached, and never attached to that person again."""
    raise NotImplementedError


def merge_persons(db: Database, source_id: int, target_id: int) -> int:
    """Every face of ``source_id`` joins ``target_id``; returns ``target_id``."""
    raise NotImplementedError


def hide_person(db: Database, person_id: int, hidden: bool = True) -> None:
    raise NotImplementedError


def set_avatar(db: Database, face_id: int) -> None:
    """Show this face as its person's avatar."""
    raise NotImplementedError


def undo_last(db: Database) -> str | None:
    """Take back the latest decision; returns what was undone in words, or None if nothing is left."""
    raise NotImplementedError
