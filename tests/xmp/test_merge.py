"""The three-way merge of marks: what the catalog takes from a sidecar."""

from __future__ import annotations

from core.collections.annotations import Annotations
from core.xmp.fields import SidecarFields
from core.xmp.merge import merge_marks


def test_a_new_sidecar_is_joined_in_and_the_catalog_wins_on_a_write() -> None:
    catalog = Annotations(albums=["Rome"], tags=["family"], rating=5, caption=None)
    sidecar = SidecarFields(rating=2, caption="Colosseum", tags=["Family", "travel"], albums=["Italy"])
    changes = merge_marks(catalog, sidecar, None, prefer_sidecar=False)
    assert not changes.sets("rating")  # the catalog's 5 stays
    assert changes.caption == "Colosseum"  # filled: the catalog had none
    assert changes.tags_added == ["travel"]  # 'Family' is the catalog's 'family'
    assert changes.albums_added == ["Italy"] and changes.tags_removed == []


def test_a_new_sidecar_wins_on_an_explicit_read() -> None:
    catalog = Annotations(rating=5, caption="mine")
    changes = merge_marks(catalog, SidecarFields(rating=2, caption="theirs"), None, prefer_sidecar=True)
    assert (changes.rating, changes.caption) == (2, "theirs")


def test_edits_made_elsewhere_since_the_last_sync_are_taken_both_ways() -> None:
    base = SidecarFields(rating=3, caption="Dune", tags=["desert", "sunset", "trip"], albums=["Sahara"])
    # In Shoebox since: 'trip' removed (the sidecar still has it: not re-added).
    catalog = Annotations(albums=["Sahara"], tags=["desert", "sunset"], rating=3, caption="Dune")
    # In digiKam since: 'sunset' removed, 'camel' added, rating 4.
    sidecar = SidecarFields(rating=4, caption="Dune", tags=["desert", "trip", "camel"], albums=["Sahara"])
    changes = merge_marks(catalog, sidecar, base, prefer_sidecar=False)
    assert changes.rating == 4 and not changes.sets("caption")
    assert changes.tags_added == ["camel"] and changes.tags_removed == ["sunset"]
    assert changes.changed() == ["rating", "tags"]


def test_a_tool_that_drops_properties_removes_nothing() -> None:
    base = SidecarFields(rating=4, caption="x", tags=["a", "b"], favourite=True, albums=["Best"])
    catalog = Annotations(albums=["Best"], tags=["a", "b"], rating=4, caption="x", favourite=True)
    rewritten = SidecarFields(rating=None, caption=None, tags=None, favourite=None, albums=None)
    changes = merge_marks(catalog, rewritten, base, prefer_sidecar=False)
    assert changes.changed() == []


def test_only_an_explicit_zero_clears_a_rating() -> None:
    base = SidecarFields(rating=4)
    catalog = Annotations(rating=4)
    assert merge_marks(catalog, SidecarFields(rating=0), base, prefer_sidecar=False).rating is None
    assert merge_marks(catalog, SidecarFields(rating=-1), base, prefer_sidecar=False).rating is None
    assert merge_marks(catalog, SidecarFields(rating=None), base, prefer_sidecar=False).changed() == []
