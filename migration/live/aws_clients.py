"""The small AWS plumbing every live edge shares: a client factory that works against real AWS
or an emulator (`endpoint_url`), and the translation of botocore errors into
:class:`InputError` with a hint, so the CLI never prints a traceback for them."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from forcelift.migration.clouds import aws
from forcelift.migration.errors import InputError, Location

DEFAULT_REGION = aws.FACTS.default_region
CREDENTIALS_HINT = (
    "set AWS_PROFILE (after `aws sso login`), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/"
    "AWS_SESSION_TOKEN from your federated role; in CI use OIDC role assumption"
)
_ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "Forbidden",
        "403",
        "AllAccessDisabled",
    }
)
_BAD_CREDENTIALS = frozenset(
    {
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "UnrecognizedClientException",
        "AuthFailure",
        "InvalidToken",
    }
)
NOT_FOUND = frozenset({"404", "NoSuchBucket", "NotFound"})


# --------------------------------------------------------------------------- AWS plumbing


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError ('' for anything else)."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))


def _error_message(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Message", "")) or str(exc)
    return str(exc)


def client_error(exc: BaseException, action: str, where: str) -> InputError:
    """A botocore ClientError as a user-facing problem with a hint."""
    code = error_code(exc)
    location = Location(file=where)
    if code in _ACCESS_DENIED:
        return InputError(
            f"access denied while {action} ({code}: {_error_message(exc)})",
            location,
            hint="the credentials in use lack this permission; check the role's IAM policy, "
            "permission boundary and any service control policy",
        )
    if code in _BAD_CREDENTIALS:
        return InputError(
            f"AWS rejected the credentials while {action} ({code})",
            location,
            hint="the credentials are wrong or expired; " + CREDENTIALS_HINT,
        )
    if code == "BucketAlreadyExists":
        return InputError(
            f"the bucket name is owned by another AWS account ({action})",
            location,
            hint="S3 bucket names are global; choose another name, e.g. add the account id",
        )
    return InputError(
        f"AWS error while {action}: {code or 'error'}: {_error_message(exc)}", location
    )


@contextmanager
def aws_errors(action: str, where: str = "AWS") -> Iterator[None]:
    """Turn botocore failures inside the block into :class:`InputError` (exit 2, no traceback)."""
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    try:
        yield
    except (NoCredentialsError, PartialCredentialsError) as exc:
        raise InputError(
            f"no AWS credentials found while {action}", Location(file=where), hint=CREDENTIALS_HINT
        ) from exc
    except ClientError as exc:
        raise client_error(exc, action, where) from exc
    except (EndpointConnectionError, ConnectTimeoutError) as exc:
        raise InputError(
            f"cannot reach AWS while {action}: {exc}",
            Location(file=where),
            hint="check the network/proxy, the region name and --endpoint-url",
        ) from exc
    except BotoCoreError as exc:
        raise InputError(f"AWS SDK error while {action}: {exc}", Location(file=where)) from exc


@dataclass
class AwsClients:
    """boto3 clients for one account, cached per (service, region); emulator-aware.

    With `endpoint_url` every client talks to that endpoint (moto, LocalStack). S3 Control
    normally prefixes the host with the account id (`123456789012.s3-control…`); an emulator
    listens on one host, so the prefix is removed there.
    """

    region: str = DEFAULT_REGION
    endpoint_url: str | None = None
    session: Any = None
    _cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.region)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = self._make(service, key[1])
            return self._cache[key]

    def _make(self, service: str, region: str) -> Any:
        import boto3
        from botocore.config import Config

        if self.session is None:
            import botocore.session

            core = botocore.session.get_session()
            core.register_component("data_loader", _shared_loader())
            self.session = boto3.session.Session(botocore_session=core)
        config = Config(
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            s3={"addressing_style": "path"} if self.endpoint_url else None,
        )
        client = self.session.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=config
        )
        if self.endpoint_url and service == "s3control":
            client.meta.events.register("before-sign.s3-control", self._drop_account_prefix)
        return client

    def _drop_account_prefix(self, request: Any, **_: Any) -> None:
        from urllib.parse import urlsplit, urlunsplit

        want = urlsplit(self.endpoint_url or "").netloc
        parts = urlsplit(request.url)
        if parts.netloc != want and parts.netloc.endswith("." + want):
            request.url = urlunsplit(parts._replace(netloc=want))

    def account_id(self) -> str:
        """Who we are; also the first call, so missing credentials surface here."""
        identity = self.client("sts").get_caller_identity()
        return str(identity["Account"])


@functools.cache
def _shared_loader() -> Any:
    """botocore's model loader, shared so parsed service models are reused across sessions
    (loading them is most of the cost of creating a client)."""
    from botocore.loaders import create_loader

    return create_loader()


def missing(exc: BaseException, *codes: str) -> bool:
    """True when a ClientError says "not configured" (one of `codes`)."""
    from botocore.exceptions import ClientError

    return isinstance(exc, ClientError) and error_code(exc) in codes


# --------------------------------------------------------------------------- validation
