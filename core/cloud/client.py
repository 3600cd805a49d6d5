"""Making an S3 client from the standard AWS credential chain (never from Shoebox's files)."""

from __future__ import annotations

import os
from typing import Any

from core.cloud.errors import CloudError, explain
from core.cloud.target import CloudTarget, check_endpoint_url


def make_client(target: CloudTarget, *, max_connections: int = 10, connect_timeout: float = 5.0,
                read_timeout: float = 60.0, attempts: int = 3) -> Any:  # fmt: skip
    """A boto3 S3 client for ``target``: env vars, profile files or instance role supply the keys.

    Path-style addressing is used with a custom endpoint (most S3-compatible servers want it);
    checksums are left to Shoebox (Content-MD5 per request, sha256 in metadata) so the
    same requests work on AWS and on servers without the newer flexible checksums.
    """
    import boto3
    from botocore.config import Config

    for name in ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"):  # boto3 reads these when no endpoint is configured
        if os.environ.get(name):
            check_endpoint_url(os.environ[name], where=f"the environment variable {name}: ")
    try:
        session = boto3.session.Session(profile_name=target.profile, region_name=target.region)
    except Exception as exc:  # ProfileNotFound and friends
        raise explain(exc) from exc
    config = Config(
        signature_version="s3v4",
        max_pool_connections=max_connections,
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": attempts},
        # Every upload carries Content-MD5, so the body need not be hashed again for the
        # signature (botocore otherwise does so on http:// endpoints: a second pass over every byte).
        s3={"addressing_style": "path" if target.endpoint_url else "auto", "payload_signing_enabled": False},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    region = target.region or session.region_name or "us-east-1"
    return session.client("s3", endpoint_url=target.endpoint_url, region_name=region, config=config)


def check_access(client: Any, target: CloudTarget, *, create_bucket: bool = False) -> None:
    """Prove the credentials work and the bucket exists (creating it when asked)."""
    try:
        client.head_bucket(Bucket=target.bucket)
        return
    except Exception as exc:
        error = explain(exc, bucket=target.bucket, endpoint=target.endpoint_url)
        missing = "does not exist" in str(error)
        if not (missing and create_bucket):
            raise error from exc
    try:
        client.create_bucket(Bucket=target.bucket)
    except Exception as exc:
        raise explain(exc, bucket=target.bucket, endpoint=target.endpoint_url) from exc


def credentials_source(target: CloudTarget) -> str:
    """Where the credentials come from ('env', 'shared-credentials-file', 'iam-role' …), not what they are."""
    import boto3

    try:
        session = boto3.session.Session(profile_name=target.profile)
        creds = session.get_credentials()
    except Exception as exc:
        raise explain(exc) from exc
    if creds is None:
        raise CloudError("no AWS credentials found in the environment, the AWS profile files or an instance role")
    return str(getattr(creds, "method", "unknown"))
