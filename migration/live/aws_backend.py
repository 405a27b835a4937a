"""The Pulumi state backend on S3: one encrypted, versioned, private, TLS-only bucket.

`pulumi login s3://…` keeps every stack's state (including resource ids and encrypted secrets)
in one bucket, so the bucket gets the same guardrails as the estate: SSE-KMS with a rotating
customer key, versioning (to roll back a damaged checkpoint), public access blocked, TLS only,
and object ownership enforced. Every step first reads the current setting and only writes when
it differs, so a second run changes nothing and says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from forcelift.migration.errors import InputError, Location
from forcelift.migration.live.aws_clients import (
    DEFAULT_REGION,
    NOT_FOUND,
    AwsClients,
    aws_errors,
    error_code,
    missing,
)
from forcelift.migration.policy.rules.regions import UK_AWS_REGIONS

DEFAULT_KMS_ALIAS = "alias/forcelift-state"

CREATED = "created"
ALREADY_SET = "already set"
UPDATED = "updated"

TLS_SID = "DenyInsecureTransport"


_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IP_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_ALIAS_RE = re.compile(r"^alias/[a-zA-Z0-9/_-]{1,250}$")


def validate_bucket_name(name: str) -> None:
    """S3's general-purpose bucket naming rules, checked before any AWS call."""
    problems = []
    if not _BUCKET_RE.match(name):
        problems.append(
            "must be 3-63 characters of lowercase letters, digits, dots and hyphens, "
            "starting and ending with a letter or digit"
        )
    if ".." in name or ".-" in name or "-." in name:
        problems.append("must not contain '..', '.-' or '-.'")
    if _IP_RE.match(name):
        problems.append("must not look like an IP address")
    if name.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or name.endswith(
        ("-s3alias", "--ol-s3", "--x-s3", ".mrap")
    ):
        problems.append("uses a prefix or suffix S3 reserves")
    if problems:
        raise InputError(
            f"invalid S3 bucket name {name!r}: {'; '.join(problems)}",
            Location(file=f"s3://{name}"),
            hint="e.g. exampleshire-pulumi-state-123456789012",
        )


def validate_kms_alias(alias: str) -> None:
    if not _ALIAS_RE.match(alias) or alias.startswith("alias/aws/"):
        raise InputError(
            f"invalid KMS alias {alias!r}",
            Location(file="--kms-alias"),
            hint="use alias/<name> (letters, digits, '/', '_', '-'); alias/aws/ is reserved",
        )


def check_region(region: str, allow_non_uk: bool) -> None:
    """UK regions only (OFFICIAL-SENSITIVE state stays in the UK) unless explicitly allowed."""
    if region not in UK_AWS_REGIONS and not allow_non_uk:
        raise InputError(
            f"region {region!r} is outside the UK",
            Location(file="--region"),
            hint=f"use {', '.join(sorted(UK_AWS_REGIONS))}; if the force has a recorded "
            "exception, pass --allow-non-uk-region",
        )


# --------------------------------------------------------------------------- the backend


@dataclass(frozen=True)
class Step:
    """One setting of the backend and what this run did to it."""

    setting: str
    status: str  # created | already set | updated
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"setting": self.setting, "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class BackendResult:
    account: str
    bucket: str
    region: str
    kms_alias: str
    kms_key_arn: str
    steps: tuple[Step, ...]
    login_url: str
    secrets_provider: str

    @property
    def changed(self) -> bool:
        return any(step.status != ALREADY_SET for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "bucket": self.bucket,
            "region": self.region,
            "kms_alias": self.kms_alias,
            "kms_key_arn": self.kms_key_arn,
            "changed": self.changed,
            "steps": [s.to_dict() for s in self.steps],
            "login_url": self.login_url,
            "secrets_provider": self.secrets_provider,
        }


def login_url(bucket: str, region: str, endpoint_url: str | None = None) -> str:
    """The `pulumi login` URL; `awssdk=v2` selects the AWS SDK v2 driver Pulumi documents."""
    url = f"s3://{bucket}?region={region}&awssdk=v2"
    if endpoint_url:
        url += f"&endpoint={endpoint_url}&use_path_style=true"
    return url


def secrets_provider_url(alias: str, region: str) -> str:
    """The `--secrets-provider` for stacks: the same KMS key encrypts stack secrets."""
    return f"awskms://{alias}?region={region}"


def tls_only_statement(bucket: str) -> dict[str, Any]:
    arn = f"arn:aws:s3:::{bucket}"
    return {
        "Sid": TLS_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def denies_insecure_transport(statement: Any, bucket: str) -> bool:
    """A Deny on s3:* for the bucket and its objects when aws:SecureTransport is false."""
    if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
        return False
    secure = (statement.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport")
    if str(secure).lower() != "false":
        return False
    actions = statement.get("Action")
    actions = [actions] if isinstance(actions, str) else list(actions or [])
    resources = statement.get("Resource")
    resources = [resources] if isinstance(resources, str) else list(resources or [])
    arn = f"arn:aws:s3:::{bucket}"
    principal = statement.get("Principal")
    return (
        ("s3:*" in actions or "*" in actions)
        and arn in resources
        and f"{arn}/*" in resources
        and principal in ("*", {"AWS": "*"})
    )


class _Backend:
    """The steps of `backend init`, each reading before writing."""

    def __init__(self, clients: AwsClients, bucket: str, region: str, alias: str) -> None:
        self.clients = clients
        self.bucket = bucket
        self.region = region
        self.alias = alias
        self.s3 = clients.client("s3")
        self.kms = clients.client("kms")
        self.steps: list[Step] = []
        self.key_arn = ""
        self.bucket_created = False

    def _step(self, setting: str, status: str, detail: str = "") -> None:
        self.steps.append(Step(setting, status, detail))

    def _new_or(self, status: str) -> str:
        return CREATED if self.bucket_created else status

    def kms_key(self) -> None:
        try:
            meta = self.kms.describe_key(KeyId=self.alias)["KeyMetadata"]
            created = False
        except Exception as exc:
            if not missing(exc, "NotFoundException"):
                raise
            meta = self.kms.create_key(
                Description="forcelift: Pulumi state bucket and stack secrets",
                KeyUsage="ENCRYPT_DECRYPT",
                KeySpec="SYMMETRIC_DEFAULT",
                Tags=[{"TagKey": "forcelift-purpose", "TagValue": "pulumi-state"}],
            )["KeyMetadata"]
            self.kms.create_alias(AliasName=self.alias, TargetKeyId=meta["KeyId"])
            created = True
        if meta.get("KeyState", "Enabled") != "Enabled":
            raise InputError(
                f"{self.alias} points at a key in state {meta.get('KeyState')}",
                Location(file=self.alias),
                hint="enable the key (or cancel its deletion), or pass another --kms-alias",
            )
        self.key_arn = str(meta["Arn"])
        self._step(
            "kms-key", CREATED if created else ALREADY_SET, f"{self.alias} -> {self.key_arn}"
        )
        rotating = self.kms.get_key_rotation_status(KeyId=meta["KeyId"]).get("KeyRotationEnabled")
        if rotating:
            self._step("kms-key-rotation", ALREADY_SET, "enabled")
        else:
            self.kms.enable_key_rotation(KeyId=meta["KeyId"])
            self._step("kms-key-rotation", CREATED if created else UPDATED, "enabled")

    def _create_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"Bucket": self.bucket}
        if self.region != "us-east-1":  # the one region that refuses a LocationConstraint
            args["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        return args

    def ensure_bucket(self) -> None:
        try:
            self.s3.head_bucket(Bucket=self.bucket)
            exists = True
        except Exception as exc:
            code = error_code(exc)
            if code in NOT_FOUND:
                exists = False
            elif code in ("403", "AccessDenied"):
                raise InputError(
                    f"bucket {self.bucket!r} exists but this account cannot read it",
                    Location(file=f"s3://{self.bucket}"),
                    hint="it is probably owned by another account (names are global): choose "
                    "another name; or grant s3:ListBucket on it",
                ) from exc
            else:
                raise
        if not exists:
            self.s3.create_bucket(**self._create_args())
            self.bucket_created = True
            self._step("bucket", CREATED, f"s3://{self.bucket} in {self.region}")
            return
        location = self.s3.get_bucket_location(Bucket=self.bucket).get("LocationConstraint")
        actual = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}.get(location, location)
        if actual != self.region:
            raise InputError(
                f"bucket {self.bucket!r} already exists in {actual}, not {self.region}",
                Location(file=f"s3://{self.bucket}"),
                hint="pass that --region, or choose another bucket name",
            )
        try:  # the only reliable ownership test: S3 tells us whether we already own it
            self.s3.create_bucket(**self._create_args())
        except Exception as exc:
            if not missing(exc, "BucketAlreadyOwnedByYou"):
                raise
        self._step("bucket", ALREADY_SET, f"s3://{self.bucket} in {self.region}")

    def versioning(self) -> None:
        status = self.s3.get_bucket_versioning(Bucket=self.bucket).get("Status")
        if status == "Enabled":
            self._step("versioning", ALREADY_SET, "Enabled")
            return
        self.s3.put_bucket_versioning(
            Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"}
        )
        self._step("versioning", self._new_or(UPDATED if status else CREATED), "Enabled")

    def _key_names(self) -> set[str]:
        key_id = self.key_arn.rsplit("/", 1)[-1]
        alias_arn = self.key_arn.split(":key/")[0] + ":" + self.alias
        return {self.key_arn, key_id, self.alias, alias_arn}

    def encryption(self) -> None:
        want = {
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": self.key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        }
        try:
            rules = self.s3.get_bucket_encryption(Bucket=self.bucket)[
                "ServerSideEncryptionConfiguration"
            ]["Rules"]
        except Exception as exc:
            if not missing(exc, "ServerSideEncryptionConfigurationNotFoundError"):
                raise
            rules = None
        ok = bool(rules) and all(
            r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") == "aws:kms"
            and r.get("ApplyServerSideEncryptionByDefault", {}).get("KMSMasterKeyID")
            in self._key_names()
            and r.get("BucketKeyEnabled") is True
            for r in rules or []
        )
        detail = f"SSE-KMS with {self.alias}, bucket key on"
        if ok:
            self._step("encryption", ALREADY_SET, detail)
            return
        self.s3.put_bucket_encryption(Bucket=self.bucket, ServerSideEncryptionConfiguration=want)
        self._step("encryption", self._new_or(UPDATED if rules else CREATED), detail)

    def public_access_block(self) -> None:
        flags = (
            "BlockPublicAcls",
            "IgnorePublicAcls",
            "BlockPublicPolicy",
            "RestrictPublicBuckets",
        )
        try:
            current = self.s3.get_public_access_block(Bucket=self.bucket)[
                "PublicAccessBlockConfiguration"
            ]
        except Exception as exc:
            if not missing(exc, "NoSuchPublicAccessBlockConfiguration"):
                raise
            current = None
        if current and all(current.get(f) is True for f in flags):
            self._step("public-access-block", ALREADY_SET, "all four on")
            return
        self.s3.put_public_access_block(
            Bucket=self.bucket, PublicAccessBlockConfiguration={f: True for f in flags}
        )
        self._step(
            "public-access-block", self._new_or(UPDATED if current else CREATED), "all four on"
        )

    def ownership(self) -> None:
        try:
            rules = self.s3.get_bucket_ownership_controls(Bucket=self.bucket)["OwnershipControls"][
                "Rules"
            ]
        except Exception as exc:
            if not missing(exc, "OwnershipControlsNotFoundError"):
                raise
            rules = None
        if rules and all(r.get("ObjectOwnership") == "BucketOwnerEnforced" for r in rules):
            self._step("ownership-controls", ALREADY_SET, "BucketOwnerEnforced (ACLs off)")
            return
        self.s3.put_bucket_ownership_controls(
            Bucket=self.bucket,
            OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        )
        self._step(
            "ownership-controls",
            self._new_or(UPDATED if rules else CREATED),
            "BucketOwnerEnforced (ACLs off)",
        )

    def tls_policy(self) -> None:
        try:
            policy = json.loads(self.s3.get_bucket_policy(Bucket=self.bucket)["Policy"])
        except Exception as exc:
            if not missing(exc, "NoSuchBucketPolicy"):
                raise
            policy = None
        statements = list((policy or {}).get("Statement") or [])
        if isinstance((policy or {}).get("Statement"), dict):
            statements = [policy["Statement"]]  # type: ignore[index]
        detail = "deny requests without TLS (aws:SecureTransport = false)"
        if any(denies_insecure_transport(s, self.bucket) for s in statements):
            self._step("tls-only-policy", ALREADY_SET, detail)
            return
        # Keep every other statement; replace only ours if an older version of it is there.
        kept = [s for s in statements if not (isinstance(s, dict) and s.get("Sid") == TLS_SID)]
        document = {
            "Version": (policy or {}).get("Version", "2012-10-17"),
            "Statement": [*kept, tls_only_statement(self.bucket)],
        }
        self.s3.put_bucket_policy(Bucket=self.bucket, Policy=json.dumps(document, sort_keys=True))
        self._step("tls-only-policy", self._new_or(UPDATED if policy else CREATED), detail)


def init_state_backend(
    bucket: str,
    region: str = DEFAULT_REGION,
    kms_alias: str = DEFAULT_KMS_ALIAS,
    *,
    endpoint_url: str | None = None,
    allow_non_uk_region: bool = False,
    clients: AwsClients | None = None,
) -> BackendResult:
    """Create or bring into line the state bucket and its key; report each setting."""
    validate_bucket_name(bucket)
    validate_kms_alias(kms_alias)
    check_region(region, allow_non_uk_region)
    clients = clients or AwsClients(region=region, endpoint_url=endpoint_url)
    where = f"s3://{bucket}"
    with aws_errors("checking the AWS identity", where):
        account = clients.account_id()
    backend = _Backend(clients, bucket, region, kms_alias)
    for action, step in (
        (f"setting up KMS key {kms_alias}", backend.kms_key),
        ("creating or finding the bucket", backend.ensure_bucket),
        ("enabling versioning", backend.versioning),
        ("setting default encryption", backend.encryption),
        ("blocking public access", backend.public_access_block),
        ("enforcing bucket-owner object ownership", backend.ownership),
        ("setting the TLS-only bucket policy", backend.tls_policy),
    ):
        with aws_errors(action, where):
            step()
    return BackendResult(
        account=account,
        bucket=bucket,
        region=region,
        kms_alias=kms_alias,
        kms_key_arn=backend.key_arn,
        steps=tuple(backend.steps),
        login_url=login_url(bucket, region, endpoint_url),
        secrets_provider=secrets_provider_url(kms_alias, region),
    )
