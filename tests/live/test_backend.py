"""`forcelift backend init --aws` against moto: creates, is idempotent, repairs drift, refuses."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner, Result

from forcelift.cli.main import cli
from forcelift.migration.errors import InputError
from forcelift.migration.live.aws_backend import (
    aws_errors,
    denies_insecure_transport,
    login_url,
    secrets_provider_url,
    validate_bucket_name,
)

SETTINGS = [
    "kms-key",
    "kms-key-rotation",
    "bucket",
    "versioning",
    "encryption",
    "public-access-block",
    "ownership-controls",
    "tls-only-policy",
]


def _init(aws: Any, bucket: str, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["backend", "init", "--aws", "--bucket", bucket, "--endpoint-url", aws.endpoint, *extra],
    )


def _statuses(result: Result) -> dict[str, str]:
    data = json.loads(result.stdout)
    return {step["setting"]: step["status"] for step in data["steps"]}


def test_init_creates_a_locked_down_bucket_and_second_run_changes_nothing(aws: Any) -> None:
    bucket = f"fl-state-{aws.id}"
    first = _init(aws, bucket)
    assert first.exit_code == 0, first.output
    for setting in SETTINGS:
        assert f"{setting}" in first.stdout
    assert first.stdout.count("created") == len(SETTINGS)
    assert (
        f"pulumi login 's3://{bucket}?region=eu-west-2&awssdk=v2"
        f"&endpoint={aws.endpoint}&use_path_style=true'" in first.stdout
    )
    assert "awskms://alias/forcelift-state?region=eu-west-2" in first.stdout

    s3, kms = aws.client("s3"), aws.client("kms")
    key = kms.describe_key(KeyId="alias/forcelift-state")["KeyMetadata"]
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] == "eu-west-2"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms",
        "KMSMasterKeyID": key["Arn"],
    }
    assert rule["BucketKeyEnabled"] is True
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert [s["Sid"] for s in policy["Statement"]] == ["DenyInsecureTransport"]
    assert denies_insecure_transport(policy["Statement"][0], bucket)
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]

    keys_before = kms.list_keys()["Keys"]
    second = _init(aws, bucket)
    assert second.exit_code == 0, second.output
    assert "Nothing changed: every setting was already in place." in second.stdout
    for setting in SETTINGS:
        assert re.search(rf"^  {re.escape(setting)} +already set ", second.stdout, re.M), setting
    assert "created" not in second.stdout and "updated" not in second.stdout
    assert kms.list_keys()["Keys"] == keys_before  # no second key behind the alias
    assert kms.describe_key(KeyId="alias/forcelift-state")["KeyMetadata"]["Arn"] == key["Arn"]


def test_drift_is_repaired_and_other_policy_statements_are_kept(aws: Any) -> None:
    bucket = f"fl-drift-{aws.id}"
    assert _init(aws, bucket).exit_code == 0
    s3 = aws.client("s3")
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    reader = {
        "Sid": "PipelineRead",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{aws.id}:role/pipeline"},
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    s3.put_bucket_policy(
        Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [reader]})
    )

    result = _init(aws, bucket, "--format", "json")
    assert result.exit_code == 0, result.output
    assert _statuses(result) == {
        "kms-key": "already set",
        "kms-key-rotation": "already set",
        "bucket": "already set",
        "versioning": "updated",
        "encryption": "updated",
        "public-access-block": "created",
        "ownership-controls": "already set",
        "tls-only-policy": "updated",
    }
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    statements = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["PipelineRead", "DenyInsecureTransport"]
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"


def test_existing_key_without_rotation_gets_rotation(aws: Any) -> None:
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/force-state", TargetKeyId=key)
    result = _init(aws, f"fl-key-{aws.id}", "--kms-alias", "alias/force-state", "--format", "json")
    assert result.exit_code == 0, result.output
    statuses = _statuses(result)
    assert statuses["kms-key"] == "already set"
    assert statuses["kms-key-rotation"] == "updated"
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True


def test_region_outside_the_uk_is_refused_unless_allowed(aws: Any) -> None:
    bucket = f"fl-ireland-{aws.id}"
    refused = _init(aws, bucket, "--region", "eu-west-1")
    assert refused.exit_code == 2
    assert "outside the UK" in refused.output and "--allow-non-uk-region" in refused.output
    assert "Traceback" not in refused.output
    assert aws.client("s3").list_buckets()["Buckets"] == []

    allowed = _init(aws, bucket, "--region", "eu-west-1", "--allow-non-uk-region")
    assert allowed.exit_code == 0, allowed.output
    assert "outside the UK" in allowed.stderr
    location = aws.client("s3", "eu-west-1").get_bucket_location(Bucket=bucket)
    assert location["LocationConstraint"] == "eu-west-1"
    assert "region=eu-west-1&awssdk=v2" in allowed.stdout


def test_bucket_owned_by_another_account_is_a_clear_error(aws: Any) -> None:
    bucket = f"fl-taken-{aws.id}"
    aws.other_account().client("s3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    result = _init(aws, bucket)
    assert result.exit_code == 2
    assert "owned by another AWS account" in result.output
    assert "Traceback" not in result.output


def test_existing_bucket_in_another_region_is_refused(aws: Any) -> None:
    bucket = f"fl-moved-{aws.id}"
    aws.client("s3", "eu-west-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    result = _init(aws, bucket)
    assert result.exit_code == 2
    assert "already exists in eu-west-1, not eu-west-2" in result.output


def test_no_credentials_is_a_clear_error(
    moto_endpoint: str, fake_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(
        cli,
        ["backend", "init", "--aws", "--bucket", "fl-nocreds", "--endpoint-url", moto_endpoint],
    )
    assert result.exit_code == 2
    assert "no AWS credentials found" in result.output
    assert "aws sso login" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["ab", "Upper-Case", "bad..dots", "192.168.1.10", "xn--bucket"])
def test_invalid_bucket_names_stop_before_any_aws_call(name: str) -> None:
    with pytest.raises(InputError, match="invalid S3 bucket name"):
        validate_bucket_name(name)
    result = CliRunner().invoke(
        cli, ["backend", "init", "--aws", "--bucket", name, "--endpoint-url", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "invalid S3 bucket name" in result.output


def test_aws_errors_become_input_errors_with_hints() -> None:
    from botocore.exceptions import ClientError, NoCredentialsError

    denied = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "PutBucketPolicy"
    )
    with pytest.raises(InputError) as caught, aws_errors("setting the policy", "s3://b"):
        raise denied
    problem = caught.value.problems[0]
    assert "access denied while setting the policy" in problem.message
    assert problem.hint and "IAM policy" in problem.hint
    expired = ClientError({"Error": {"Code": "ExpiredToken", "Message": "x"}}, "GetCallerIdentity")
    with pytest.raises(InputError, match="rejected the credentials"), aws_errors("x"):
        raise expired
    with pytest.raises(InputError, match="no AWS credentials"), aws_errors("x"):
        raise NoCredentialsError()


def test_login_and_secrets_provider_urls() -> None:
    assert login_url("state", "eu-west-2") == "s3://state?region=eu-west-2&awssdk=v2"
    assert secrets_provider_url("alias/k", "eu-west-2") == "awskms://alias/k?region=eu-west-2"


def test_backend_needs_a_cloud_flag() -> None:
    result = CliRunner().invoke(cli, ["backend", "init", "--bucket", "fl-state"])
    assert result.exit_code == 2
    assert "pass --aws" in result.output
