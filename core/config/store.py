"""Reading and atomically writing ``config.toml`` (tomllib reads; a tiny writer writes)."""

from __future__ import annotations

import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

CONFIG_NAME = "config.toml"

Scalar = str | int | float | bool
Value = Scalar | list[Scalar]


class ConfigError(Exception):
    """The config file cannot be read or a value cannot be stored; the message says why."""


def config_path(library_dir: Path) -> Path:
    return Path(library_dir) / CONFIG_NAME


def load_config(library_dir: Path) -> dict[str, dict[str, Any]]:
    """All tables of the library's config (an empty dict when there is no file yet)."""
    path = config_path(library_dir)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    return {key: value for key, value in data.items() if isinstance(value, dict)}


def save_config(library_dir: Path, config: dict[str, dict[str, Any]]) -> None:
    """Write the whole config atomically (temp file, fsync, rename)."""
    path = config_path(library_dir)
    text = dumps(config)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def set_value(library_dir: Path, table: str, key: str, value: Value | None) -> None:
    """Set (or with ``None`` remove) ``[table] key = value`` and save."""
    config = load_config(library_dir)
    section = config.setdefault(table, {})
    if value is None:
        section.pop(key, None)
    else:
        section[key] = value
    save_config(library_dir, config)


def dumps(config: dict[str, dict[str, Any]]) -> str:
    """TOML text for tables of scalars and lists of scalars."""
    lines: list[str] = []
    for table in sorted(config):
        values = config[table]
        if not values:
            continue
        lines.append(f"[{_key(table)}]")
        for key in sorted(values):
            lines.append(f"{_key(key)} = {_value(values[key])}")
        lines.append("")
    return "\n".join(lines)


def _key(name: str) -> str:
    if name and all(ch.isalnum() or ch in "-_" for ch in name):
        return name
    return _string(name)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise ConfigError(f"cannot store a {type(value).__name__} in config.toml")


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'
