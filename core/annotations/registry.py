"""Every capability that attaches things to photos, in one list.

To add one: implement :class:`core.annotations.base.Annotator` in your package (say
``core/places/annotator.py`` with ``PLACES = PlacesAnnotator()``), import it here and add
it to :data:`ANNOTATORS`. Its fields then appear in ``ls --json``/``show --json`` after
those before it, and duplicate merges, undo, moves, backups, XMP sidecars and the trash
carry its things. Code that handles photos in general reads :data:`ANNOTATORS` at call
time (tests register a tiny annotator by replacing the tuple).
"""

from __future__ import annotations

from core.annotations.base import Annotator
from core.collections.annotator import COLLECTIONS
from core.people.annotator import PEOPLE

#: The registered annotators, in the order their fields appear in photo JSON.
ANNOTATORS: tuple[Annotator, ...] = (COLLECTIONS, PEOPLE)
