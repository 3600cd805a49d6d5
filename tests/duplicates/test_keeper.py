"""The keeper rule chain: documented default, configurable order, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, set_value
from core.duplicates.keeper import KeeperContext, KeeperRuleError, parse_rules, suggest_keeper
from core.duplicates.settings import DuplicateSettings
from tests.duplicates.test_verify import photo

ORIGINAL = photo(id=1, path="/lib/a/IMG_1.jpg", format="jpeg", size=3_000_000, width=4000, height=3000,
                 taken_at="2020-01-01T10:00:00", taken_at_source="exif", make="Canon", model="EOS", mtime_ns=10)  # fmt: skip
SMALL = photo(id=2, path="/lib/b/IMG_1_small.jpg", format="jpeg", size=300_000, width=1000, height=750, mtime_ns=5)
PNG = photo(id=3, path="/lib/c/IMG_1.png", format="png", size=9_000_000, width=4000, height=3000, mtime_ns=1)
HEIC = photo(id=4, path="/lib/d/IMG_1.heic", format="heic", size=1_000_000, width=4000, height=3000, mtime_ns=2,
             root_id=7)  # fmt: skip


def keeper(photos, names=None, references=frozenset()) -> tuple[int, str]:
    chosen, reason = suggest_keeper(photos, parse_rules(names), KeeperContext(frozenset(references)))
    return chosen.id, reason


def test_default_chain_prefers_the_full_frame_then_the_camera_original() -> None:
    assert keeper([SMALL, ORIGINAL]) == (1, "full frame: the others are crops or smaller")
    assert keeper([PNG, ORIGINAL]) == (1, "camera original: JPEG as the camera writes it, the others PNG")
    assert keeper([HEIC, ORIGINAL]) == (1, "camera original: JPEG as the camera writes it, the others HEIC")


def test_an_iphone_writes_heic_so_its_heic_beats_a_jpeg_export() -> None:
    heic = photo(id=5, path="/lib/IMG_2.heic", format="heic", size=2_000_000, width=4032, height=3024, make="Apple")
    jpeg = photo(id=6, path="/lib/IMG_2.jpg", format="jpeg", size=3_000_000, width=4032, height=3024, make="Apple")
    assert keeper([jpeg, heic]) == (5, "camera original: HEIC as the camera writes it, the others JPEG")


def test_the_old_chain_is_still_there_by_name() -> None:
    assert keeper([PNG, ORIGINAL], ["pixels", "original", "size"]) == (1, "original format")
    assert keeper([HEIC, ORIGINAL], ["pixels", "original", "metadata"]) == (1, "richest metadata: the others lost some")


def test_reference_roots_win_first() -> None:
    assert keeper([ORIGINAL, HEIC], references={7}) == (4, "in a reference folder")


def test_a_configured_chain_changes_the_choice() -> None:
    assert keeper([ORIGINAL, HEIC], ["format:heic>jpeg", "pixels"]) == (4, "preferred format (heic > jpeg)")
    assert keeper([ORIGINAL, SMALL], ["smaller"]) == (2, "smallest file")
    assert keeper([ORIGINAL, SMALL], ["folder:/lib/b"]) == (2, "in /lib/b")
    assert keeper([ORIGINAL, PNG], ["older"]) == (3, "oldest file")
    assert keeper([ORIGINAL, PNG], ["size"]) == (3, "largest file")


def test_ties_keep_the_first_catalogued() -> None:
    twin = photo(id=9, path="/x.jpg")
    assert keeper([twin, photo(id=5, path="/y.jpg")]) == (5, "all alike: the first catalogued")


def test_unknown_rules_are_refused_with_the_known_names() -> None:
    with pytest.raises(KeeperRuleError, match="unknown keeper rule 'biggest'.*pixels"):
        parse_rules(["biggest"])


def test_settings_come_from_config(tmp_path: Path) -> None:
    assert DuplicateSettings.load(tmp_path).threshold == 8
    set_value(tmp_path, "duplicates", "keep", ["reference", "format:heic>jpeg", "pixels"])
    set_value(tmp_path, "duplicates", "threshold", 6)
    settings = DuplicateSettings.load(tmp_path)
    assert settings.threshold == 6 and [r.name for r in settings.rules] == ["reference", "format:heic>jpeg", "pixels"]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("keep", ["nope"], "unknown keeper rule"), ("keep", "pixels", "list of rule names"),
    ("threshold", 40, "0 to 16"), ("threshold", "8", "whole number"),
])  # fmt: skip
def test_bad_settings_say_what_is_wrong(tmp_path: Path, key: str, value: object, message: str) -> None:
    set_value(tmp_path, "duplicates", key, value)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=message):
        DuplicateSettings.load(tmp_path)
