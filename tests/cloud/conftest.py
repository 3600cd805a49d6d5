"""Fixtures for the cloud tests: a bucket per test on the session SeaweedFS (tests/conftest.py), AWS env."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from core.cloud.target import CloudTarget, TransferSettings, parse_target, save_target
from core.library import Library
from tests.cloud.seaweed import SeaweedServer

MiB = 1024 * 1024
#: Small files and the S3 minimum part size keep multipart tests quick.
SMALL_SETTINGS = TransferSettings(multipart_threshold=5 * MiB, part_size=5 * MiB, concurrency=3)


def use_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, server: SeaweedServer) -> None:
    """The standard AWS chain sees only the test identity (never the user's files or an instance role)."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_S3", "AWS_CA_BUNDLE"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", server.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", server.secret_key)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


def make_bucket(server: SeaweedServer) -> str:
    name = f"shoebox-{secrets.token_hex(4)}"
    server.client().create_bucket(Bucket=name)
    return name


@pytest.fixture
def target(s3_server: SeaweedServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, library: Library) -> CloudTarget:
    """A fresh bucket on the session server, configured as the library's target."""
    use_credentials(monkeypatch, tmp_path, s3_server)
    bucket = make_bucket(s3_server)
    cloud = parse_target(f"s3://{bucket}/backup", endpoint_url=s3_server.endpoint)
    save_target(library.directory, cloud)
    return cloud
