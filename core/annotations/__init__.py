"""Things attached to photos, seen from the code that handles photos in general.

Albums, tags and marks (core/collections), people (core/people) and whatever comes next
each implement :class:`~core.annotations.base.Annotator` and are listed once in
:mod:`core.annotations.registry`. Listings, duplicate merges and their undo, moves, the
backup manifest, XMP sidecars and the trash go through :mod:`core.annotations.combined`,
which loops over that list; none of them names another capability's tables.

This package imports nothing at its top, so a capability can import the base class
without importing the registry (which imports every capability).
"""
