"""The library's settings: ``config.toml`` in the library directory, one table per feature.

Read with :func:`load_config`, change one value with :func:`set_value`. Values are plain
TOML scalars or lists of scalars; secrets (credentials) never belong here.

Example::

    [duplicates]
    keep = ["reference", "pixels", "format:heic>jpeg", "metadata", "size"]

    [cloud]
    target = "s3://bucket/prefix"
"""

from core.config.store import CONFIG_NAME, ConfigError, load_config, save_config, set_value

__all__ = ["CONFIG_NAME", "ConfigError", "load_config", "save_config", "set_value"]
