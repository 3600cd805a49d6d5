"""Turning boto/botocore failures into messages a person can act on."""

from __future__ import annotations

import re

from botocore import exceptions as bx


class CloudError(Exception):
    """The cloud target cannot be used; the message says why and what to do."""


class CredentialsError(CloudError):
    """No credentials, or the server refused them."""


#: Error codes meaning "these credentials are wrong" (AWS and S3-compatible servers).
CREDENTIAL_CODES = frozenset(
    {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId", "ExpiredToken",
     "InvalidToken", "TokenRefreshRequired", "AuthorizationHeaderMalformed"}
)  # fmt: skip
DENIED_CODES = frozenset({"AccessDenied", "403", "Forbidden", "AllAccessDisabled"})
#: Failures worth retrying: the network, throttling, and server-side errors.
RETRYABLE_CODES = frozenset(
    {"500", "502", "503", "504", "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout",
     "RequestTimeTooSkewed", "Throttling", "ThrottlingException", "OperationAborted"}
)  # fmt: skip


def error_code(exc: BaseException) -> str:
    """The S3 error code of a ClientError ('' for anything else)."""
    if isinstance(exc, bx.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def is_retryable(exc: BaseException) -> bool:
    """True for network drops, timeouts, throttling and 5xx answers."""
    if isinstance(exc, (bx.EndpointConnectionError, bx.ConnectionClosedError, bx.ReadTimeoutError,
                        bx.ConnectTimeoutError, bx.ResponseStreamingError, bx.IncompleteReadError,
                        ConnectionError, TimeoutError)):  # fmt: skip
        return True
    if isinstance(exc, bx.HTTPClientError):
        return True
    if isinstance(exc, bx.ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return error_code(exc) in RETRYABLE_CODES or int(status or 0) >= 500
    return False


def is_unreachable(exc: BaseException) -> bool:
    """True when the endpoint could not be reached at all (as opposed to an error answer)."""
    return isinstance(exc, (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ConnectionClosedError,
                            ConnectionError))  # fmt: skip


def redact_url(text: str) -> str:
    """``text`` with the ``user:secret@`` of every URL in it replaced by ``***@`` (safe to print)."""
    return re.sub(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#\s\"'<>]*@", r"\1***@", text)


def explain(exc: BaseException, *, bucket: str = "", endpoint: str | None = None) -> CloudError:
    """A :class:`CloudError` that says what went wrong in plain words (never with secrets)."""
    where = redact_url(endpoint) if endpoint else "AWS S3"
    if isinstance(exc, CloudError):
        return exc
    if isinstance(exc, bx.NoCredentialsError):
        return CredentialsError(
            "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, add a profile to "
            "~/.aws/credentials (and `shoebox cloud set … --profile NAME`), or run on a machine with an "
            "instance role"
        )
    if isinstance(exc, bx.ProfileNotFound):
        return CredentialsError(f"{exc}: add it to ~/.aws/credentials or choose another with --profile")
    if isinstance(exc, (bx.PartialCredentialsError, bx.CredentialRetrievalError)):
        return CredentialsError(f"the AWS credentials are incomplete: {exc}")
    code = error_code(exc)
    if code in CREDENTIAL_CODES:
        return CredentialsError(
            f"{where} refused the credentials ({code}): check the access key id and secret in your "
            "environment or AWS profile"
        )
    if code in DENIED_CODES:
        return CredentialsError(
            f"access denied to bucket '{bucket}' on {where} ({code}): the credentials are wrong, or they "
            "are not allowed to read and write this bucket"
        )
    if code in ("NoSuchBucket", "404") and bucket:
        return CloudError(f"the bucket '{bucket}' does not exist on {where} (create it, or use --create-bucket)")
    if is_unreachable(exc):
        return CloudError(f"cannot reach {where}: {redact_url(str(exc))}; check the endpoint URL and the network")
    if code:
        message = exc.response.get("Error", {}).get("Message", "")  # type: ignore[union-attr]
        return CloudError(f"{where} answered {code}: {message}".rstrip(": "))
    return CloudError(f"{type(exc).__name__}: {redact_url(str(exc))}")
