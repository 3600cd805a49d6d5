"""Keeping sidecars in step as marks change, if the user asked for it.

``[xmp] write`` in the library's config.toml (``shoebox xmp auto MODE``):

- ``off`` (the default): sidecars change only on ``shoebox xmp write``;
- ``existing``: sidecars that exist already are rewritten whenever a photo's rating,
  favourite, caption, tags or albums change, or a duplicate resolution merges into it
  (darktable, digiKam and Lightroom then see Shoebox's changes without a new file
  appearing beside every photo);
- ``always``: as ``existing``, and a sidecar is created for a photo that has none.

People corrections (naming, assigning, rejecting, merging, undoing one) change the face regions
of every photo whose named persons they change: :func:`sync_after_face_changes` wraps them.

Whatever calls :func:`sync_after_change` has already written the catalog: a sidecar that
cannot be written is reported in the results and changes nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from core.catalog.photos import get_photo
from core.config import ConfigError, load_config
from core.config.store import set_value
from core.library import Library
from core.people.store import names_by_photo
from core.people.undo import latest_change
from core.xmp.paths import sidecar_path
from core.xmp.results import SidecarResult
from core.xmp.sync import write_sidecars

MODES = ("off", "existing", "always")
TABLE, KEY = "xmp", "write"


def auto_mode(library: Library) -> str:
    """The configured mode (``off`` when unset or unreadable: never write unasked)."""
    try:
        mode = load_config(library.directory).get(TABLE, {}).get(KEY, "off")
    except ConfigError:
        return "off"
    return mode if mode in MODES else "off"


def set_auto_mode(library: Library, mode: str) -> None:
    if mode not in MODES:
        raise ConfigError(f"the sidecar mode is one of {', '.join(MODES)}, not {mode!r}")
    set_value(library.directory, TABLE, KEY, mode)


def sync_after_change(library: Library, photo_ids: Iterable[int]) -> list[SidecarResult]:
    """Write the sidecars of photos whose marks just changed, as the mode says."""
    mode = auto_mode(library)
    if mode == "off":
        return []
    ids = list(dict.fromkeys(photo_ids))
    if mode == "existing":
        ids = [i for i in ids if (photo := get_photo(library.db, i)) is not None and sidecar_path(photo.fs_path)[1]]
    return write_sidecars(library, ids) if ids else []


@contextmanager
def sync_after_face_changes(library: Library, *, everything: bool = False) -> Iterator[list[SidecarResult]]:
    """Around a people correction (or an undo of one): afterwards the sidecars of the photos whose
    named persons it changed are written as the mode says; the list yielded then holds the results.

    The photos are read from the correction's undo record (:func:`core.people.undo.latest_change`);
    ``everything`` (a re-cluster, which clears that log) compares every photo's names instead."""
    results: list[SidecarResult] = []
    if auto_mode(library) == "off":
        yield results
        return
    if everything:
        before = names_by_photo(library.db)
        yield results
        after = names_by_photo(library.db)
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    else:
        undoing = latest_change(library.db)
        yield results
        done = latest_change(library.db)
        if done is not None and (undoing is None or done[0] > undoing[0]):
            changed = done[1]  # a new correction
        elif undoing is not None and (done is None or done[0] < undoing[0]):
            changed = undoing[1]  # that correction was undone
        else:
            changed = []
    results += sync_after_change(library, changed)
