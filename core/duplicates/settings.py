"""The duplicates settings in the library's ``config.toml``::

[duplicates]
threshold = 8          # largest perceptual distance (bits of 64) for a candidate pair
keep = ["reference", "pixels", "camera", "metadata", "unedited", "upright", "quality", "folder", "older"]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.config import ConfigError, load_config
from core.config.store import set_value
from core.duplicates.keeper import DEFAULT_RULES, KeeperRule, KeeperRuleError, parse_rules

DEFAULT_THRESHOLD = 8
MAX_THRESHOLD = 16


@dataclass(frozen=True, slots=True)
class DuplicateSettings:
    threshold: int = DEFAULT_THRESHOLD
    keep: tuple[str, ...] = DEFAULT_RULES

    @classmethod
    def load(cls, library_dir: Path) -> DuplicateSettings:
        """Settings from config (defaults for what is not set); ConfigError when invalid."""
        table = load_config(library_dir).get("duplicates", {})
        threshold = table.get("threshold", DEFAULT_THRESHOLD)
        keep = table.get("keep", list(DEFAULT_RULES))
        if isinstance(threshold, bool) or not isinstance(threshold, int):
            raise ConfigError(f"[duplicates] threshold must be a whole number, not {threshold!r}")
        check_threshold(threshold)
        if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
            raise ConfigError('[duplicates] keep must be a list of rule names, e.g. ["reference", "pixels"]')
        try:
            parse_rules(keep)
        except KeeperRuleError as exc:
            raise ConfigError(str(exc)) from exc
        return cls(threshold, tuple(keep))

    @property
    def rules(self) -> list[KeeperRule]:
        return parse_rules(self.keep)


def check_threshold(threshold: int) -> int:
    if not 0 <= threshold <= MAX_THRESHOLD:
        raise ConfigError(f"the duplicates threshold is 0 to {MAX_THRESHOLD} bits, not {threshold}")
    return threshold


def save_threshold(library_dir: Path, threshold: int) -> None:
    """Make ``threshold`` the library's default (``[duplicates] threshold``): the app and ``shoebox dupes``."""
    set_value(library_dir, "duplicates", "threshold", check_threshold(threshold))
