"""The policy documents: what the SCPs deny and that rendering is byte-stable."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from forcelift.components.aws import documents

REGIONS = ["eu-west-2", "eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"]


def test_region_deny_lists_allowed_regions_and_exempts_global_services() -> None:
    scp = documents.deny_regions_scp(["eu-west-2"])
    (statement,) = scp["Statement"]
    assert statement["Effect"] == "Deny" and statement["Resource"] == "*"
    assert statement["Condition"] == {"StringNotEquals": {"aws:RequestedRegion": ["eu-west-2"]}}
    exempt = set(statement["NotAction"])
    for action in (
        "iam:*",
        "organizations:*",
        "route53:*",
        "cloudfront:*",
        "support:*",
        "sts:*",
        "budgets:*",
    ):
        assert action in exempt
    assert not {"ec2:*", "s3:*", "rds:*", "kms:*", "*"} & exempt


def test_region_deny_exempts_named_roles_only_when_asked() -> None:
    condition = documents.deny_regions_scp(["eu-west-2"], ["Pipeline"])["Statement"][0]["Condition"]
    assert condition["ArnNotLike"] == {"aws:PrincipalARN": ["arn:aws:iam::*:role/Pipeline"]}


def test_security_services_cannot_be_switched_off() -> None:
    (statement,) = documents.protect_security_services_scp()["Statement"]
    assert statement["Effect"] == "Deny" and "Condition" not in statement
    for action in (
        "cloudtrail:StopLogging",
        "cloudtrail:DeleteTrail",
        "config:StopConfigurationRecorder",
        "config:DeleteConfigurationRecorder",
        "guardduty:DeleteDetector",
    ):
        assert action in statement["Action"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(REGIONS), min_size=1, unique=True))
def test_rendering_is_deterministic_and_small(regions: list[str]) -> None:
    one = documents.render(documents.deny_regions_scp(regions))
    two = documents.render(documents.deny_regions_scp(list(reversed(regions))))
    assert one == two
    assert len(one) <= 5120  # the SCP size limit
    assert json.loads(one)["Statement"][0]["Condition"]["StringNotEquals"][
        "aws:RequestedRegion"
    ] == sorted(regions)


def test_kms_policy_grants_services_only_when_asked() -> None:
    plain = documents.kms_key_policy("123456789012", "aws", "eu-west-2")
    assert [s["Sid"] for s in plain["Statement"]] == ["EnableIamPolicies"]
    logs = documents.kms_key_policy("123456789012", "aws", "eu-west-2", cloudwatch_logs=True)
    assert logs["Statement"][1]["Principal"] == {"Service": "logs.eu-west-2.amazonaws.com"}
