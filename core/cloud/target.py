"""Where backups go: ``s3://BUCKET/PREFIX`` plus an optional endpoint and profile.

Stored in the library's ``config.toml`` under ``[cloud]``. Only names live there, never
credentials: those come from the standard AWS chain when a client is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from core.cloud.errors import CloudError, redact_url
from core.config import load_config, save_config
from core.config.store import config_path

TABLE = "cloud"
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-_]{1,61}[a-z0-9]$")
MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class CloudTarget:
    """A bucket and key prefix on AWS S3 or an S3-compatible server."""

    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    profile: str | None = None
    region: str | None = None

    @property
    def url(self) -> str:
        """``s3://bucket/prefix``: also the name this target's state is kept under."""
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def to_json(self) -> dict[str, Any]:
        return {"target": self.url, "bucket": self.bucket, "prefix": self.prefix,
                "endpoint_url": self.endpoint_url, "profile": self.profile, "region": self.region}  # fmt: skip


@dataclass(frozen=True, slots=True)
class TransferSettings:
    """How uploads are cut and paced (``[cloud]`` keys of the same names override them)."""

    multipart_threshold: int = 16 * MiB
    part_size: int = 16 * MiB
    concurrency: int = 4
    bandwidth: int | None = None  # bytes per second for all uploads together

    @classmethod
    def from_config(cls, table: dict[str, Any], **overrides: Any) -> TransferSettings:
        values = {name: table[name] for name in ("multipart_threshold", "part_size", "concurrency", "bandwidth")
                  if name in table}  # fmt: skip
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        if settings.part_size < 5 * MiB:
            raise CloudError("part_size must be at least 5 MiB (the S3 minimum for multipart parts)")
        if settings.concurrency < 1:
            raise CloudError("concurrency must be at least 1")
        return settings


def parse_target(url: str, *, endpoint_url: str | None = None, profile: str | None = None,
                 region: str | None = None) -> CloudTarget:  # fmt: skip
    """Parse ``s3://bucket[/prefix]``; raises :class:`CloudError` saying what is wrong."""
    match = re.fullmatch(r"s3://([^/]+)/?(.*)", url.strip())
    if not match:
        raise CloudError(f"'{url}' is not an S3 location: write it as s3://BUCKET or s3://BUCKET/PREFIX")
    bucket, prefix = match.group(1), match.group(2).strip("/")
    if not _BUCKET.match(bucket):
        raise CloudError(f"'{bucket}' is not a valid bucket name (3-63 lower-case letters, digits, '.', '-')")
    if "//" in prefix:
        raise CloudError(f"the prefix '{prefix}' has an empty folder name ('//')")
    if endpoint_url:
        check_endpoint_url(endpoint_url)
    return CloudTarget(bucket, prefix, endpoint_url or None, profile or None, region or None)


def check_endpoint_url(endpoint_url: str, *, where: str = "") -> None:
    """Refuse an endpoint that is not http(s) or that carries credentials (``http://KEY:SECRET@host``).

    Credentials in a URL end up in config.toml, in printed messages and in logs; they belong
    to the AWS chain (environment, profile files, instance role). The message never repeats them.
    """
    shown = redact_url(endpoint_url)
    if not re.match(r"^https?://", endpoint_url.strip(), re.IGNORECASE):
        raise CloudError(f"{where}the endpoint URL '{shown}' must start with http:// or https://")
    try:
        parts = urlsplit(endpoint_url.strip())
        has_userinfo = "@" in parts.netloc or parts.username is not None
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise CloudError(f"{where}the endpoint URL '{shown}' is not a valid URL ({exc})") from None
    if has_userinfo:
        raise CloudError(
            f"{where}the endpoint URL '{shown}' carries credentials (user:secret@): give the endpoint as "
            "http(s)://HOST[:PORT] and the keys through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile"
        )


def load_target(library_dir: Path) -> CloudTarget | None:
    """The library's configured target (None when `shoebox cloud set` was never run).

    An endpoint URL holding credentials (written by an older Shoebox) is refused with a
    message naming the file, so the secret is neither used nor echoed.
    """
    table = load_config(library_dir).get(TABLE, {})
    if not table.get("target"):
        return None
    if table.get("endpoint_url"):
        check_endpoint_url(str(table["endpoint_url"]), where=f"{config_path(library_dir)} [cloud]: ")
    return parse_target(str(table["target"]), endpoint_url=table.get("endpoint_url"),
                        profile=table.get("profile"), region=table.get("region"))  # fmt: skip


def require_target(library_dir: Path) -> CloudTarget:
    target = load_target(library_dir)
    if target is None:
        raise CloudError("no backup target yet: run `shoebox cloud set s3://BUCKET/PREFIX [--endpoint-url URL]`")
    return target


def save_target(library_dir: Path, target: CloudTarget) -> None:
    """Store the target in ``[cloud]`` (keeping transfer settings already there)."""
    config = load_config(library_dir)
    table = config.setdefault(TABLE, {})
    table["target"] = target.url
    for name in ("endpoint_url", "profile", "region"):
        value = getattr(target, name)
        if value:
            table[name] = value
        else:
            table.pop(name, None)
    save_config(library_dir, config)


def transfer_settings(library_dir: Path, **overrides: Any) -> TransferSettings:
    """Transfer settings from ``[cloud]`` with command-line ``overrides`` on top."""
    return TransferSettings.from_config(load_config(library_dir).get(TABLE, {}), **overrides)


_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "kib": 1024, "mib": MiB, "gib": 1024**3}  # fmt: skip


def parse_rate(text: str) -> int:
    """``5MB/s``, ``500k``, ``2MiB/s`` → bytes per second."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([a-zA-Z]*)\s*(/s)?\s*", text)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS:
        raise CloudError(f"'{text}' is not a rate: write e.g. 5MB/s, 500KB/s or 2MiB/s")
    try:
        value = int(float(match.group(1)) * _UNITS[unit])
    except ValueError:  # "...", "1.2.3"
        raise CloudError(f"'{text}' is not a rate: write e.g. 5MB/s, 500KB/s or 2MiB/s") from None
    if value <= 0:
        raise CloudError("the bandwidth limit must be above zero")
    return value
