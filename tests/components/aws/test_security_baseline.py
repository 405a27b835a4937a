"""Security baseline: CloudTrail to a locked-down bucket, Config, GuardDuty, safe defaults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from forcelift.components.aws.security_baseline import SecurityBaseline, SecurityBaselineArgs
from forcelift.components.aws.tags import Tags
from forcelift.stacks.mock_runtime import MockRun

COMPONENT = "forcelift:aws:SecurityBaseline"


@pytest.fixture(scope="module")
def run(tags: Tags, run_aws: Callable[..., MockRun]) -> MockRun:
    return run_aws(
        lambda: SecurityBaseline("lz", SecurityBaselineArgs(tags=tags, password_policy=True)),
        stack="exampleshire-aws-landing-zone",
    )


def test_secure_properties(run: MockRun, assert_secure: Callable[[MockRun, str], None]) -> None:
    assert_secure(run, COMPONENT)


def test_trail_is_multi_region_validated_and_encrypted(run: MockRun, helpers: Any) -> None:
    (trail,) = run.of_type("aws:cloudtrail/trail:Trail")
    assert trail.inputs["isMultiRegionTrail"] is True
    assert trail.inputs["enableLogFileValidation"] is True
    assert trail.inputs["includeGlobalServiceEvents"] is True
    (key,) = run.of_type("aws:kms/key:Key")
    assert key.urn in trail.dependencies and trail.inputs["kmsKeyId"]
    key_policy = helpers.policy_of(key)
    assert any(
        s.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}
        for s in key_policy["Statement"]
    )


def test_bucket_lets_cloudtrail_write_and_nothing_else_in_clear(run: MockRun, helpers: Any) -> None:
    (bucket,) = run.of_type("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"].startswith("lz-audit-logs-")
    (policy,) = helpers.dependents(run, bucket, "aws:s3/bucketPolicy:BucketPolicy")
    statements = {s["Sid"]: s for s in helpers.policy_of(policy)["Statement"]}
    assert set(statements) == {"DenyInsecureTransport", "CloudTrailAclCheck", "CloudTrailWrite"}
    write = statements["CloudTrailWrite"]
    assert write["Resource"] == f"arn:aws:s3:::{bucket.inputs['bucket']}/cloudtrail/AWSLogs/*"
    assert write["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    (sse,) = helpers.dependents(
        run,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    (key,) = run.of_type("aws:kms/key:Key")
    assert key.urn in sse.dependencies


def test_config_guardduty_and_account_defaults(run: MockRun) -> None:
    (recorder,) = run.of_type("aws:cfg/recorder:Recorder")
    assert recorder.inputs["recordingGroup"] == {
        "allSupported": True,
        "includeGlobalResourceTypes": True,
    }
    (channel,) = run.of_type("aws:cfg/deliveryChannel:DeliveryChannel")
    assert channel.inputs["s3KmsKeyArn"] and recorder.urn in channel.dependencies
    (status,) = run.of_type("aws:cfg/recorderStatus:RecorderStatus")
    assert status.inputs["isEnabled"] is True and channel.urn in status.dependencies
    (detector,) = run.of_type("aws:guardduty/detector:Detector")
    assert detector.inputs["enable"] is True
    (ebs,) = run.of_type("aws:ebs/encryptionByDefault:EncryptionByDefault")
    assert ebs.inputs["enabled"] is True
    (block,) = run.of_type("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")
    assert all(
        block.inputs[k] is True
        for k in (
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
        )
    )
    (password,) = run.of_type("aws:iam/accountPasswordPolicy:AccountPasswordPolicy")
    assert password.inputs["minimumPasswordLength"] >= 14
    assert "maxPasswordAge" not in password.inputs  # NCSC: no forced expiry
